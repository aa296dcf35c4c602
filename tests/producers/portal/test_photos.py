"""Phone photos: upright, metadata stripped, resized, thumbnails; bad files refused cleanly."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from marketplace.catalog import images
from marketplace.catalog.models import ProductImage
from marketplace.catalog.thumbnails import THUMBNAIL_SIZES
from marketplace.errors import DomainError
from marketplace.storage import FOREVER
from producers import listings
from tests.producers.portal.pictures import jpeg_bytes, upload
from tests.s3 import fetch

pytestmark = pytest.mark.django_db


def _media_files(product) -> set[str]:
    # Through the storage API: the same on disk and in an S3 bucket.
    # Not exists(): an S3 "folder" is only a prefix, never an object of its own.
    try:
        return set(default_storage.listdir(f"products/{product.pk}")[1])
    except FileNotFoundError:  # no folder yet on local disk
        return set()


def test_photo_is_turned_upright_stripped_resized_and_thumbnailed(owner, product):
    data = jpeg_bytes((3000, 2000), rotated=True, gps=True)
    picture = listings.add_photo(owner, product.pk, upload(data))

    # EXIF orientation 6 means "turn 90° clockwise": the landscape shot becomes portrait.
    assert (picture.width, picture.height) == (1067, 1600)
    with default_storage.open(picture.file.name) as handle, Image.open(handle) as stored:
        assert stored.format == "JPEG"
        assert max(stored.size) == images.MAX_EDGE
        assert not stored.getexif()  # no orientation, maker or GPS left
        assert "exif" not in stored.info
        # The coloured half was on the left; after turning it is on top.
        assert stored.getpixel((stored.width // 2, 50))[1] < 100
        assert stored.getpixel((stored.width // 2, stored.height - 50)) > (240, 240, 240)
    for size in THUMBNAIL_SIZES:
        for fmt in ("webp", "jpg"):
            name = picture.thumbnail_name(size, fmt)
            with default_storage.open(name) as handle, Image.open(handle) as thumb:
                assert max(thumb.size) == size
                assert thumb.format == ("WEBP" if fmt == "webp" else "JPEG")


def test_photo_and_thumbnails_are_served_by_their_public_url(client, owner, product):
    """What a shopper's browser fetches: the app's /media/ on disk, the public bucket on S3."""
    picture = listings.add_photo(owner, product.pk, upload(jpeg_bytes()))
    status, body, headers = fetch(client, picture.url)
    assert status == 200 and body[:3] == b"\xff\xd8\xff"
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Cache-Control"] == FOREVER  # written once under a random name
    status, body, headers = fetch(client, default_storage.url(picture.thumbnail_name(320, "webp")))
    assert status == 200 and body[8:12] == b"WEBP"
    assert headers["Content-Type"] == "image/webp"


def test_fifty_megapixel_photo_is_refused_before_decoding(owner, product):
    buffer = io.BytesIO()
    Image.new("RGB", (8660, 5775), (90, 120, 60)).save(buffer, "JPEG", quality=50)
    before = _media_files(product)
    with pytest.raises(DomainError) as caught:
        listings.add_photo(owner, product.pk, upload(buffer.getvalue()))
    assert caught.value.code == "IMAGE_TOO_LARGE"
    assert "50 megapixel" in caught.value.message
    assert "tối đa 40 megapixel" in caught.value.message
    assert _media_files(product) == before
    assert not product.images.exists()


def test_renamed_non_image_is_refused(owner, product):
    fake = upload(b"%PDF-1.4 not really a photo\n" * 20, name="anh-san-pham.jpg")
    with pytest.raises(DomainError) as caught:
        listings.add_photo(owner, product.pk, fake)
    assert caught.value.code == "NOT_AN_IMAGE"
    assert "không phải là ảnh" in caught.value.message
    assert not product.images.exists()


def test_truncated_upload_is_refused(owner, product):
    data = jpeg_bytes((1200, 900))
    with pytest.raises(DomainError) as caught:
        listings.add_photo(owner, product.pk, upload(data[: len(data) // 3]))
    assert caught.value.code == "DAMAGED_IMAGE"
    assert not product.images.exists()


def test_oversize_file_is_refused_from_its_size(owner, product):
    big = upload(b"\xff\xd8" + b"0" * (images.MAX_UPLOAD_BYTES + 1))
    with pytest.raises(DomainError) as caught:
        listings.add_photo(owner, product.pk, big)
    assert caught.value.code == "FILE_TOO_LARGE"
    assert "tối đa 15 MB" in caught.value.message


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels but carries no picture data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [10_000, 60_000])  # 100 MP: Pillow warns; 3.6 GP: it refuses
def test_decompression_bomb_is_refused(owner, product, side):
    bomb = upload(_png_header_only(side, side), "bom.png", "image/png")
    with pytest.raises(DomainError) as caught:
        listings.add_photo(owner, product.pk, bomb)
    assert caught.value.code == "IMAGE_TOO_LARGE"
    assert not product.images.exists()


def test_store_failure_leaves_no_files(owner, product, monkeypatch):
    def broken_create(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ProductImage.objects, "create", broken_create)
    before = _media_files(product)
    with pytest.raises(RuntimeError):
        listings.add_photo(owner, product.pk, upload(jpeg_bytes()))
    assert _media_files(product) == before


def test_first_real_photo_replaces_the_placeholder(owner, product):
    placeholder = images.ensure_placeholder(product)
    picture = listings.add_photo(owner, product.pk, upload(jpeg_bytes()))
    assert list(product.images.all()) == [picture]
    assert not ProductImage.objects.filter(pk=placeholder.pk).exists()


def test_reorder_and_delete(owner, product, django_capture_on_commit_callbacks):
    first, second, third = (
        listings.add_photo(owner, product.pk, upload(jpeg_bytes(colour=c)))
        for c in ((200, 0, 0), (0, 200, 0), (0, 0, 200))
    )
    listings.move_photo(owner, product.pk, third.pk, -1)
    listings.move_photo(owner, product.pk, third.pk, -1)
    assert list(product.images.order_by("position")) == [third, first, second]
    listings.move_photo(owner, product.pk, third.pk, -1)  # already first: stays
    assert product.images.order_by("position").first() == third

    with django_capture_on_commit_callbacks(execute=True):
        listings.delete_photo(owner, product.pk, first.pk)
    assert list(product.images.order_by("position")) == [third, second]
    assert not default_storage.exists(first.file.name)
    assert not default_storage.exists(first.thumbnail_name(320, "webp"))
    assert default_storage.exists(second.file.name)


def test_photo_page_upload_shows_clear_message(client, owner, product):
    client.force_login(owner)
    url = f"/portal/san-pham/{product.pk}/anh/"
    response = client.post(url, {"image": upload(b"hello", name="fake.jpg")})
    assert response.status_code == 200
    assert "Tệp này không phải là ảnh" in response.content.decode()
    assert not product.images.exists()

    response = client.post(url, {"image": upload(jpeg_bytes())})
    assert response.status_code == 302
    assert product.images.count() == 1
    page = client.get(url).content.decode()
    assert 'accept="image/*"' in page and 'capture="environment"' in page
