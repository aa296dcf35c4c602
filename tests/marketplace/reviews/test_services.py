"""Reviews from verified buyers only: once per delivered line, 1–5 stars, text, 3 photos."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from marketplace.errors import DomainError
from marketplace.reviews import services
from marketplace.reviews.models import Review
from marketplace.reviews.services import Buyer
from tests.marketplace.reviews.conftest import BUYER_PHONE, first_line, place_order
from tests.producers.portal.pictures import jpeg_bytes, upload

pytestmark = pytest.mark.django_db


def _buyer(order):
    return Buyer(order_numbers=frozenset({order.number}))


def _codes(exc) -> set[str]:
    return {e.code for e in getattr(exc, "errors", [exc])}


def test_a_buyer_reviews_a_delivered_line_and_the_product_rating_follows(order, line, product):
    review = services.create_review(line.pk, _buyer(order), rating=4, text="Ngon")
    second = place_order(product)
    services.create_review(first_line(second).pk, _buyer(second), rating=5)
    product.refresh_from_db()
    assert (review.product_id, review.producer_id) == (product.pk, product.producer_id)
    assert (product.rating_count, product.rating_total, product.rating_sort) == (2, 9, 450)
    assert product.rating_average == 4.5
    assert review.author_name == "Lan N."  # Nguyễn Thị Lan: named, not identified


def test_the_verified_phone_of_a_signed_in_shopper_proves_the_order(order, line):
    assert services.create_review(line.pk, Buyer(phone=BUYER_PHONE), rating=5).pk


@pytest.mark.parametrize(
    "buyer",
    [
        Buyer(),  # anonymous
        Buyer(order_numbers=frozenset({"AAAAAAAA"})),  # someone else's order
        Buyer(phone="+84933333333"),  # another shopper's phone
    ],
)
def test_nobody_else_can_review_the_line(line, buyer):
    with pytest.raises(DomainError) as caught:
        services.create_review(line.pk, buyer, rating=5)
    assert caught.value.code == "NOT_FOUND"
    assert not Review.objects.exists()


def test_a_line_not_yet_delivered_cannot_be_reviewed(product):
    order = place_order(product, delivered=False)
    with pytest.raises(DomainError) as caught:
        services.create_review(first_line(order).pk, _buyer(order), rating=5)
    assert caught.value.code == "NOT_DELIVERED"


def test_a_line_is_reviewed_once(order, line):
    services.create_review(line.pk, _buyer(order), rating=5)
    with pytest.raises(DomainError) as caught:
        services.create_review(line.pk, _buyer(order), rating=1)
    assert caught.value.code == "ALREADY_REVIEWED"
    assert Review.objects.get().rating == 5


@pytest.mark.parametrize("rating", [0, 6, -1, True, "5", None])
def test_stars_are_1_to_5(order, line, rating):
    with pytest.raises(DomainError) as caught:
        services.create_review(line.pk, _buyer(order), rating=rating)
    assert "INVALID_RATING" in _codes(caught.value)


def test_text_is_nfc_keeps_line_breaks_and_is_length_limited(order, line):
    decomposed = "Ma\u0306\u0301m ngon\r\n\r\n\r\nSe\u0303 mua la\u0323i  nư\u0303a"
    review = services.create_review(line.pk, _buyer(order), rating=5, text=decomposed)
    assert review.text == "Mắm ngon\n\nSẽ mua lại nữa"
    other = place_order(line.product)
    with pytest.raises(DomainError) as caught:
        services.create_review(first_line(other).pk, _buyer(other), rating=5, text="a" * 2001)
    assert "TEXT_TOO_LONG" in _codes(caught.value)


def test_photos_go_through_the_photo_pipeline(order, line):
    review = services.create_review(
        line.pk, _buyer(order), rating=5, photos=[upload(jpeg_bytes((2400, 1600), gps=True))]
    )
    photo = review.photos.get()
    assert (photo.width, photo.height) == (1600, 1067)  # at most MAX_EDGE
    stored = Image.open(default_storage.open(photo.file.name))
    assert not stored.getexif()  # no EXIF, no GPS
    stem = photo.file.name.rsplit(".", 1)[0]
    for size in (160, 320, 640):
        assert default_storage.exists(f"{stem}_{size}.webp")
    assert photo.thumbnail_url(100).endswith("_160.webp")


def test_four_photos_or_a_non_image_are_refused_and_nothing_is_written(order, line):
    before = (
        set(default_storage.listdir("reviews")[0]) if default_storage.exists("reviews") else set()
    )
    photos = [upload(jpeg_bytes()) for _ in range(4)]
    with pytest.raises(DomainError) as caught:
        services.create_review(line.pk, _buyer(order), rating=5, photos=photos)
    assert "TOO_MANY_PHOTOS" in _codes(caught.value)
    script = upload(b"#!/bin/sh\nrm -rf /\n", name="anh.jpg")
    with pytest.raises(DomainError) as caught:
        services.create_review(
            line.pk, _buyer(order), rating=5, photos=[upload(jpeg_bytes()), script]
        )
    assert (caught.value.code, caught.value.field) == ("NOT_AN_IMAGE", "photos")
    assert not Review.objects.exists()
    after = (
        set(default_storage.listdir("reviews")[0]) if default_storage.exists("reviews") else set()
    )
    assert after == before


def test_a_gif_bomb_header_is_refused_before_decoding(order, line):
    buffer = io.BytesIO()
    Image.new("L", (10_000, 10_000)).save(buffer, "PNG")
    with pytest.raises(DomainError) as caught:
        services.create_review(line.pk, _buyer(order), rating=5, photos=[upload(buffer.getvalue())])
    assert caught.value.code == "IMAGE_TOO_LARGE"


def test_replies_only_from_the_producers_members_or_staff(
    order, line, owner, staff_member, other_owner, shopper, platform_staff
):
    review = services.create_review(line.pk, _buyer(order), rating=3)
    for outsider in (other_owner, shopper):
        with pytest.raises(DomainError) as caught:
            services.reply(outsider, review.pk, "Cảm ơn")
        assert caught.value.code == "NOT_FOUND"
    for member in (owner, staff_member, platform_staff):
        assert services.reply(member, review.pk, "Cảm ơn\nanh chị").reply_text == "Cảm ơn\nanh chị"
    with pytest.raises(DomainError) as caught:
        services.reply(owner, review.pk, "   ")
    assert caught.value.code == "REPLY_REQUIRED"


def test_staff_hide_and_show_with_a_reason_and_the_rating_follows(
    order, line, product, platform_staff, owner
):
    review = services.create_review(line.pk, _buyer(order), rating=1)
    with pytest.raises(DomainError) as caught:
        services.moderate(owner, review.pk, hidden=True, reason="spam")
    assert caught.value.code == "PERMISSION_DENIED"
    with pytest.raises(DomainError) as caught:
        services.moderate(platform_staff, review.pk, hidden=True, reason=" ")
    assert caught.value.code == "REASON_REQUIRED"
    services.moderate(platform_staff, review.pk, hidden=True, reason="Lời lẽ xúc phạm")
    product.refresh_from_db()
    assert (product.rating_count, product.rating_average) == (0, None)
    services.moderate(platform_staff, review.pk, hidden=False, reason="Khiếu nại hợp lệ")
    product.refresh_from_db()
    assert product.rating_count == 1
    review.refresh_from_db()
    assert (review.hidden_at, review.hidden_reason) == (None, "Khiếu nại hợp lệ")
