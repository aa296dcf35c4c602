"""A request id for every request: sent back in `X-Request-ID` and written on every log line
made while serving it, so an error a user reports can be found in the server log."""

import contextvars
import logging
import uuid

_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def current() -> str:
    return _current.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        token = _current.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to each record (the format string of the console handler uses it)."""

    def filter(self, record):
        record.request_id = _current.get()
        return True
