"""The two storages: public media by plain URL, private files only by a signed link that expires.

On local disk (always) and against a real S3-compatible server (MEDIA_S3_ENDPOINT; CI starts
SeaweedFS): a signed link answers 200, then 403 once expired or altered; a private file has no
unsigned URL that works; a public photo is served to anyone with its cache header.
"""

import time
import urllib.parse
import uuid

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from config.storages import build_storages
from marketplace.storage import FOREVER, private_storage, signed_url
from tests.s3 import fetch
from tests.services import need_s3

pytestmark = pytest.mark.django_db
BODY = b"%PDF-1.4\n% hoa don\n%%EOF\n"


@pytest.fixture
def private_file():
    name = private_storage.save(f"tests/{uuid.uuid4().hex}.pdf", ContentFile(BODY))
    yield name
    private_storage.delete(name)


def _tampered(url: str) -> str:
    """The same link with one character of its signature changed."""
    if url.startswith("/media-private/"):
        token = urllib.parse.unquote(url.removeprefix("/media-private/"))
        flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
        return "/media-private/" + urllib.parse.quote(flipped)
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parts.query)
    signature = query["X-Amz-Signature"][0]
    query["X-Amz-Signature"] = [("0" if signature[0] != "0" else "1") + signature[1:]]
    return parts._replace(query=urllib.parse.urlencode(query, doseq=True)).geturl()


def _other_key(url: str, name: str) -> str:
    """The link of one file, pointed at another (the signature covers the key)."""
    if url.startswith("/media-private/"):
        return url  # the name is inside the signed token: nothing to point elsewhere
    return url.replace(urllib.parse.quote(name), urllib.parse.quote(name.replace(".pdf", "x.pdf")))


def _check_signed_links(client, name):
    url = signed_url(name, seconds=30)
    status, body, headers = fetch(client, url)
    assert (status, body) == (200, BODY)
    assert headers["Content-Type"] == "application/pdf"  # opens in the browser as what it is
    assert "no-store" in headers.get("Cache-Control", "")
    assert fetch(client, _tampered(url))[0] == 403
    short = signed_url(name, seconds=1)
    assert fetch(client, short)[0] == 200
    time.sleep(2.1)
    assert fetch(client, short)[0] == 403  # expired


def test_local_private_files_open_only_by_a_valid_signed_link(client, private_file):
    _check_signed_links(client, private_file)
    assert client.get("/media-private/not-a-token").status_code == 403
    assert client.get(f"/media/{private_file}").status_code == 404  # not under public media


@pytest.fixture
def local_private_file(settings, tmp_path):
    """A private file on local disk even when the suite's media are in S3 (MEDIA_S3_ENDPOINT):
    only local links are signed with SECRET_KEY."""
    settings.STORAGES = build_storages(
        plain_static=True, private_root=tmp_path, s3=None, signed_url_seconds=60
    )
    return private_storage.save("tests/rotation.pdf", ContentFile(BODY))


def test_local_links_survive_a_secret_key_rotation_only_through_the_fallback(
    client, settings, local_private_file
):
    assert signed_url(local_private_file).startswith("/media-private/")
    settings.SECRET_KEY = "old-" + "k" * 50
    url = signed_url(local_private_file, seconds=60)
    settings.SECRET_KEY = "new-" + "k" * 50
    assert fetch(client, url)[0] == 403
    settings.SECRET_KEY_FALLBACKS = ["old-" + "k" * 50]
    assert fetch(client, url)[:2] == (200, BODY)


@pytest.fixture
def s3():
    need_s3()
    assert settings.STORAGES["private"]["BACKEND"].endswith("PrivateS3Storage")


def test_s3_signed_links_expire_and_cannot_be_altered(client, s3, private_file):
    _check_signed_links(client, private_file)
    url = signed_url(private_file, seconds=30)
    assert fetch(client, _other_key(url, private_file))[0] in (403, 404)
    bare = url.split("?", 1)[0]  # the object's URL without a signature
    assert fetch(client, bare)[0] == 403


def test_s3_public_media_by_plain_url_with_a_years_cache(client, s3):
    name = default_storage.save(f"products/tests/{uuid.uuid4().hex}.webp", ContentFile(b"RIFF"))
    try:
        url = default_storage.url(name)
        assert url.startswith(settings.MEDIA_URL) and "Signature" not in url
        status, body, headers = fetch(client, url)
        assert (status, body) == (200, b"RIFF")
        assert headers["Cache-Control"] == FOREVER
    finally:
        default_storage.delete(name)
    assert fetch(client, url)[0] in (403, 404)  # gone from the bucket


URL_NAMES = [
    None, "", "products/a.jpg", "/products/lead.jpg", "products/ảnh đẹp_320.webp", "a b.jpg",
    "a?b#c.jpg", "x:y/z.jpg", "100%.jpg", "a//b.jpg", "~!*()'.jpg", "a\\b.jpg", "a;b=c.jpg",
    "a/./b.jpg", "a/../b.jpg", "./a.jpg", "../a.jpg", ".x.jpg", "a/.", "a/b/",
]  # fmt: skip


@pytest.mark.parametrize("base_url", ["/media/", "/media", "https://cdn.example.vn/m/"])
def test_local_public_urls_are_djangos(base_url):
    """PublicFileSystemStorage joins its URLs without urljoin, to the same result as Django."""
    from django.core.files.storage import FileSystemStorage, storages

    from marketplace.storage import PublicFileSystemStorage

    ours = PublicFileSystemStorage(location="/tmp", base_url=base_url)
    django = FileSystemStorage(location="/tmp", base_url=base_url)
    assert [ours.url(name) for name in URL_NAMES] == [django.url(name) for name in URL_NAMES]
    assert settings.MEDIA_S3 or isinstance(storages["default"], PublicFileSystemStorage)
