"""Cache headers: hashed static files and product photos for a year, HTML never; the favicon."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from config.media import FOREVER, SHORT

pytestmark = pytest.mark.django_db

STATIC_DIR = Path(django_settings.BASE_DIR) / "storefront" / "static" / "storefront"


@pytest.fixture
def media_files():
    """Two files where /media/ reads: MEDIA_ROOT, at the time of the request."""
    root = Path(django_settings.MEDIA_ROOT)
    made = [root / "products" / "ab" / "9f3c-test.webp", root / "evidence" / "phieu-test.pdf"]
    made[0].parent.mkdir(parents=True, exist_ok=True)
    made[1].parent.mkdir(parents=True, exist_ok=True)
    made[0].write_bytes(b"RIFF\x00\x00\x00\x00WEBP")
    made[1].write_bytes(b"%PDF-1.4\n")
    yield root
    for path in made:
        path.unlink(missing_ok=True)


def test_product_photos_are_cached_for_a_year(client, media_files):
    response = client.get("/media/products/ab/9f3c-test.webp")
    assert response.status_code == 200
    assert response["Cache-Control"] == FOREVER
    assert "max-age=31536000" in FOREVER and "immutable" in FOREVER


def test_other_media_is_cached_briefly_and_missing_files_not_at_all(client, media_files):
    assert client.get("/media/evidence/phieu-test.pdf")["Cache-Control"] == SHORT
    missing = client.get("/media/products/ab/khong-co.webp")
    assert missing.status_code == 404
    assert "immutable" not in missing.get("Cache-Control", "")


def test_hashed_static_files_are_cached_forever_unhashed_briefly(tmp_path):
    """As production serves them: collectstatic with the manifest storage, then WhiteNoise."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(
        STATIC_ROOT=str(tmp_path), STORAGES=storages, DEBUG=False, WHITENOISE_USE_FINDERS=False
    ):
        call_command("collectstatic", "--noinput", "--verbosity", "0")
        [hashed] = [p.name for p in (tmp_path / "storefront").glob("site.*.css")
                    if re.fullmatch(r"site\.[0-9a-f]{12}\.css", p.name)]  # fmt: skip
        whitenoise = WhiteNoiseMiddleware(lambda request: None)

        def cache_control(path: str) -> str:
            response = whitenoise(RequestFactory().get(path))
            assert response is not None and response.status_code == 200, path
            return response["Cache-Control"]

        forever = cache_control(f"/static/storefront/{hashed}")
        assert "immutable" in forever and int(re.search(r"max-age=(\d+)", forever)[1]) >= 31536000
        brief = cache_control("/static/storefront/site.css")  # the name without its hash
        assert "immutable" not in brief and int(re.search(r"max-age=(\d+)", brief)[1]) <= 3600


@pytest.mark.parametrize("path", ["/", "/san-pham/", "/gio-hang/", "/don-hang/tra-cuu/"])
def test_html_is_not_cached_for_long(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    cache_control = response.get("Cache-Control", "")
    assert "immutable" not in cache_control and "public" not in cache_control
    max_age = re.search(r"max-age=(\d+)", cache_control)
    assert max_age is None or int(max_age[1]) == 0


def test_the_favicon(client):
    """Browsers ask /favicon.ico whatever the page says: a permanent redirect to the SVG the
    pages link, which is a real SVG icon."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/storefront/favicon.svg"
    assert client.post("/favicon.ico").status_code == 405
    home = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/storefront/favicon.svg" type="image/svg+xml">' in home
    svg = (STATIC_DIR / "favicon.svg").read_text()
    assert svg.lstrip().startswith("<svg") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "viewBox" in svg and "<script" not in svg
