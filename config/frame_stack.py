"""Run each request at the base of a fresh, roomy CPython frame-stack chunk.

CPython (3.11 on) keeps a thread's Python frames in 16 KiB chunks and frees a chunk as soon as the
frame at its base returns (python/cpython#142183). A request whose hot loop sits across a chunk
boundary therefore maps and unmaps a chunk, and faults its pages in again, on every call that
crosses it: GraphQL completing 100 products calls its field functions thousands of times. Where the
boundary falls depends only on how deep the server's own stack is when it calls Django (gunicorn,
a thread, the test client), so the same page cost 16 ms or 50 ms depending on the caller (measured
in bench/browse.py's process at 10,000 products).

The outermost middleware calls the rest of the request from a frame that reserves more slots than a
standard chunk holds. That frame never fits in a standard chunk, so CPython gives it a chunk of its
own, 128 KiB, mostly free for the request. Every request then starts at the same place in a chunk
with room for its deepest stack, whoever called it; one chunk is mapped per request.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# A 16 KiB chunk holds 2,045 slots; CPython sizes a new chunk for the frame plus 1,000 slots,
# doubling from 16 KiB, so 7,200 reserved slots get a 128 KiB chunk with ~9,000 slots free.
RESERVED_SLOTS = 7200


def _call(get_response, request):
    return get_response(request)


# co_stacksize only reserves room in the frame: the slots are neither initialised nor touched.
_call.__code__ = _call.__code__.replace(co_stacksize=RESERVED_SLOTS)


class FreshFrameStackMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return _call(self.get_response, request)
