"""Content-Security-Policy on every page, no inline script or style anywhere, HSTS behind TLS."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from config.csp import build_policy
from marketplace.access import OFFICE_GROUP
from marketplace.catalog.models import Product
from marketplace.checkout.access import ORDERS_SESSION_KEY
from marketplace.checkout.services.complete import complete_checkout
from marketplace.payments.models import PaymentMethod
from producers.models import Membership
from tests.marketplace.checkout.buying import checkout_for
from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT, SERIALISED_GTIN, SERIALISED_LOT
from traceability.selectors import find_batch

ROOT = Path(__file__).resolve().parents[2]
# What the policy refuses: a script without src, on…= handlers and style attributes in a tag,
# javascript: URLs and <style> blocks.
INLINE = (
    r"<script(?![^>]*\bsrc=)[^>]*>",
    r"<[a-zA-Z][^>]*\son[a-z]+\s*=[^>]*>",
    r"javascript:",
    r"<style\b",
    r"<[a-zA-Z][^>]*\sstyle\s*=[^>]*>",
)


def _directives(policy: str) -> dict[str, list[str]]:
    return {
        name: sources
        for name, *sources in (part.split() for part in policy.split(";") if part.strip())
    }


def test_the_policy_refuses_inline_code_and_allows_only_stripe_outside():
    policy = _directives(build_policy())
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["style-src"] == ["'self'"]
    for name in ("script-src", "style-src", "default-src"):
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(policy[name])
    # The card form of the order page (Stripe's CSP guide).
    assert "https://js.stripe.com" in policy["script-src"]
    assert "https://js.stripe.com" in policy["frame-src"]
    assert "https://api.stripe.com" in policy["connect-src"]


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _path_for(route: str, values: dict[str, str]) -> str:
    """A concrete path for a route: parameters filled from `values` (unknown ones: "x")."""
    route = route.lstrip("^").rstrip("$").replace("/?", "/")
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "x"), route)
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values.get(m.group(1), "x"), route)
    return "/" + route.replace(".*", "")


@pytest.fixture
def everyone_client(client, django_user_model):
    """Signed in as staff who is also an owner and in the trade office: sees every page."""
    product = Product.objects.published().order_by("pk").first()
    user = django_user_model.objects.create_user(
        "ops", password="x-Strong-pass-1", is_staff=True, is_superuser=True
    )
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    Membership.objects.create(user=user, producer=product.producer, role="owner")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_every_page_carries_the_policy_and_no_inline_code(everyone_client):
    product = Product.objects.published().order_by("pk").first()
    batch = find_batch(SAMPLE_GTIN, SAMPLE_LOT)
    serialised = find_batch(SERIALISED_GTIN, SERIALISED_LOT)
    values = {
        "slug": product.slug,
        "code": product.product_set_id,
        "pk": str(batch.pk),
        "gtin": SERIALISED_GTIN,
        "lot": SERIALISED_LOT,
        "serial": serialised.unit_serials.first().serial,
    }
    order = complete_checkout(checkout_for([product]).pk, PaymentMethod.VIETQR)
    session = everyone_client.session
    session[ORDERS_SESSION_KEY] = [order.number]
    session.save()
    extra = [
        f"/don-hang/{order.number}/",  # the VietQR code is a data: image
        f"/san-pham/{product.slug}/",
        f"/nha-san-xuat/{product.producer.slug}/",
        f"/portal/san-pham/{product.pk}/",
        f"/portal/san-pham/{product.pk}/anh/",
        f"/01/{SAMPLE_GTIN}/10/{SAMPLE_LOT}",
        "/san-pham/?q=mam",
        "/khong-co-trang-nay/",
        "/admin/",
        "/admin/catalog/product/",
        f"/admin/catalog/product/{product.pk}/change/",
    ]
    paths = [_path_for(route, values) for route, _pattern in _patterns(get_resolver().url_patterns)]
    pages = 0
    for path in sorted({p for p in paths + extra if "admin/" not in p or p in extra}):
        response = everyone_client.get(path)
        if path == f"/don-hang/{order.number}/":
            qr = f'src="/don-hang/{order.number}/vietqr.png"'
            assert response.status_code == 200 and qr in response.text
        assert "Content-Security-Policy" in response, path
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages += 1
            html = response.content.decode()
            for pattern in INLINE:
                assert not re.search(pattern, html, re.I), (path, pattern)
    for anonymous in ("/", "/portal/dang-nhap/", "/office/dang-nhap/", "/admin/login/"):
        assert "Content-Security-Policy" in Client().get(anonymous)
    assert pages >= 25, pages


def _templates():
    for path in ROOT.glob("**/templates/**/*.html"):
        relative = path.relative_to(ROOT).as_posix()
        if not relative.startswith((".venv/", "var/")):
            yield relative, path.read_text(encoding="utf-8")


def test_no_template_holds_inline_script_handlers_or_style():
    offenders = []
    for name, html in _templates():
        for pattern in INLINE:
            offenders += [f"{name}: {m.group(0)}" for m in re.finditer(pattern, html, re.I)]
    assert offenders == []
    assert sum(1 for _ in _templates()) > 30


def _settings_with(**env) -> dict:
    """Settings as a fresh process computes them from these environment variables."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'hsts': s.SECURE_HSTS_SECONDS, 'proxy': s.SECURE_PROXY_SSL_HEADER}))"
    )
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    for name in ("SECURE_SSL_REDIRECT", "BEHIND_PROXY", "SECURE_HSTS_SECONDS"):
        if name not in env:
            environ.pop(name, None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, cwd=ROOT, check=True, capture_output=True
    )
    return json.loads(out.stdout.decode().strip().splitlines()[-1])


def test_hsts_is_on_whenever_tls_is():
    assert _settings_with()["hsts"] == 0  # plain http on 127.0.0.1: no HSTS
    assert _settings_with(SECURE_SSL_REDIRECT="1")["hsts"] == 31_536_000
    assert _settings_with(BEHIND_PROXY="1")["hsts"] == 31_536_000
    assert _settings_with(BEHIND_PROXY="1", SECURE_HSTS_SECONDS="600")["hsts"] == 600


@pytest.mark.django_db
def test_a_request_over_tls_gets_strict_transport_security(client, settings):
    settings.SECURE_HSTS_SECONDS = _settings_with(BEHIND_PROXY="1")["hsts"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/healthz", HTTP_X_FORWARDED_PROTO="https")
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/healthz")  # plain http: never
