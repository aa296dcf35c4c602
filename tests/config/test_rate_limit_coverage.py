"""Every public endpoint that takes a POST declares its rate limit, or why it needs none.

The test walks every URL pattern, POSTs to it anonymously and looks at the answer: 405 (GET
only) or a redirect to a sign-in page / 401 / 403 (not public) need nothing; anything else is a
public POST endpoint, and its view must carry `@rate_limited(...)` or `@limit_exempt(reason)`
(config/ratelimit.py). A limit lives on the view, so moving or renaming its URL keeps it.
"""

import pytest
from django.urls import resolve

from config import ratelimit
from tests.urls_walk import SIGN_IN_PAGES
from tests.urls_walk import endpoints as _endpoints

pytestmark = pytest.mark.django_db


def _declares(view) -> bool:
    limited = any("POST" in methods for _, methods in getattr(view, "rate_limits", ()))
    return limited or bool(getattr(view, "rate_limit_exempt", ""))


def _not_public(response) -> bool:
    if response.status_code in (401, 403, 405):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and location.split("?")[0] in SIGN_IN_PAGES


def test_every_public_post_endpoint_declares_a_limit_or_an_exemption(client):
    client.raise_request_exception = False
    undeclared, unprobed = [], []
    for path, entry in _endpoints():
        assert resolve(path).func is entry.callback, f"sample {path} resolves elsewhere"
        if _declares(entry.callback):
            continue
        response = client.post(path, "", content_type="application/x-www-form-urlencoded")
        if _not_public(response):
            continue
        if response.status_code == 404:
            unprobed.append(path)  # a real object might take a POST: cannot tell from here
        else:
            undeclared.append(f"{path} ({entry.name}) answered {response.status_code}")
    assert not undeclared, (
        "public POST endpoints without @rate_limited or @limit_exempt: " + ", ".join(undeclared)
    )
    assert not unprobed, (
        "404 on POST to these sample paths, so the test cannot tell whether they take a POST: "
        "make the view GET-only (@require_safe) or declare its limit: " + ", ".join(unprobed)
    )


def test_the_sign_in_and_lookup_endpoints_carry_their_limits():
    """The brute-force targets keep their own (strict) limits, not only a generic one."""
    expected = {
        "/admin/login/": "signin",
        "/portal/dang-nhap/": "signin",
        "/office/dang-nhap/": "signin",
        "/portal/quen-mat-khau/": "password-reset",
        "/portal/quen-mat-khau/dien-thoai/": "password-reset",
        "/portal/quen-mat-khau/nhap-ma/": "reset-code",
        "/portal/kich-hoat/x/": "set-password-link",
        "/01/08933810630018": "scan",
        "/ARHKVAdpQg": "scan",
        "/don-hang/tra-cuu/": "order-lookup",
        "/truy-xuat/bao-gia-mao": "report-fake",
        "/graphql/": "api",
    }
    for path, name in expected.items():
        names = [limit for limit, _ in getattr(resolve(path).func, "rate_limits", ())]
        assert name in names, path
    from config.schema import schema

    order = schema.graphql_schema.query_type.fields["order"]
    assert ("order-lookup", frozenset({"QUERY"})) in order.resolve.rate_limits


def test_declarations_name_real_limits_and_real_reasons():
    with pytest.raises(KeyError):
        ratelimit.rate_limited("no-such-limit")
    with pytest.raises(ValueError):
        ratelimit.limit_exempt("  ")
