"""Gzip for text only (config/compression.py), with Django's BREACH mitigations in place."""

import gzip
import re

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from config.compression import TextGZipMiddleware

PAGE = ("<!doctype html><p>" + "Mắm thái Châu Đốc, bánh pía Sóc Trăng. " * 40 + "</p>").encode()
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def _answer(content: bytes, content_type: str, accept: str = "gzip, deflate, br"):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=accept)
    middleware = TextGZipMiddleware(lambda request: HttpResponse(content, content_type))
    return middleware(request)


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html; charset=utf-8",
        "text/css",
        "application/json",
        "application/ld+json",
        "application/linkset+json",
        "application/javascript",
        "image/svg+xml",
    ],
)
def test_text_is_compressed(content_type):
    response = _answer(PAGE, content_type)
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert len(response.content) < len(PAGE) / 3
    assert gzip.decompress(response.content) == PAGE


@pytest.mark.parametrize(
    "content_type", ["image/png", "image/webp", "application/pdf", "application/octet-stream"]
)
def test_binary_answers_are_untouched(content_type):
    response = _answer(PNG, content_type)
    assert not response.has_header("Content-Encoding")
    assert response.content == PNG


def test_small_text_and_clients_without_gzip_are_untouched():
    small = _answer(b"<p>OK</p>", "text/html")
    assert not small.has_header("Content-Encoding") and small.content == b"<p>OK</p>"
    plain = _answer(PAGE, "text/html", accept="identity")
    assert not plain.has_header("Content-Encoding") and plain.content == PAGE


def test_breach_the_same_page_never_compresses_to_the_same_bytes():
    """Django pads each gzip body with random bytes ("Heal The Breach"): the length an
    attacker watches varies from one response to the next."""
    lengths = {len(_answer(PAGE, "text/html").content) for _ in range(8)}
    assert len(lengths) > 1


@pytest.mark.django_db
def test_breach_the_csrf_token_is_masked_anew_on_every_page(client):
    """A secret next to reflected text is what BREACH guesses; the form token is re-masked
    on every response, so it never repeats byte for byte, while the pages are gzipped."""
    tokens = []  # per response: its forms' tokens
    for _ in range(2):
        response = client.get("/don-hang/tra-cuu/", HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        html = gzip.decompress(response.content).decode()
        tokens.append(set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)))
    assert tokens[0] and tokens[1] and not tokens[0] & tokens[1]


def test_breach_the_session_cookie_stays_on_this_site(settings):
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE in ("Lax", "Strict")
