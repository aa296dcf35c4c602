"""config/frame_stack.py: a request costs the same whatever the depth of the stack that calls it.

Without the middleware, some caller depths put a CPython frame-stack chunk boundary inside the
GraphQL page's hot loop, and every call across it maps the chunk again (python/cpython#142183):
hundreds of page faults per request. The caller's depth is walked over more than one chunk's
worth of slots, so the boundary passes every point of the request (issue 16, item 7).
"""

import resource

import pytest
from django.conf import settings
from django.test import Client, override_settings

from bench.browse import UNCOUNTED_QUERY

MIDDLEWARE = "config.frame_stack.FreshFrameStackMiddleware"
# a frame of `_at_depth` takes about 13 slots: 170 of them span one 16 KiB chunk (2,045 slots)
DEPTHS = range(0, 170, 6)

pytestmark = pytest.mark.django_db


def _page(client: Client) -> None:
    response = client.post("/graphql/", {"query": UNCOUNTED_QUERY}, content_type="application/json")
    assert response.status_code == 200 and "errors" not in response.json()


def _at_depth(depth: int, client: Client) -> None:
    if depth:
        return _at_depth(depth - 1, client)
    return _page(client)


def _faults(depth: int, client: Client) -> int:
    """The fewest minor page faults of three requests: thrashing repeats, a new arena does not."""
    _at_depth(depth, client)
    counts = []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        _at_depth(depth, client)
        counts.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return min(counts)


def test_the_middleware_is_outermost():
    assert settings.MIDDLEWARE[0] == MIDDLEWARE


@override_settings(RATE_LIMITS_ENABLED=False)
def test_no_caller_depth_makes_a_request_thrash():
    client = Client()
    faults = {depth: _faults(depth, client) for depth in DEPTHS}
    assert max(faults.values()) < 60, faults


@override_settings(RATE_LIMITS_ENABLED=False)
def test_without_it_some_caller_depth_thrashes():
    """The check above can fail: this is what it guards against."""
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != MIDDLEWARE]):
        client = Client()
        faults = {depth: _faults(depth, client) for depth in DEPTHS}
    assert max(faults.values()) > 200, faults
