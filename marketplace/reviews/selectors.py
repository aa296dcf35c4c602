"""Reads: a product's visible reviews a page at a time, a buyer's reviewable lines, the
producer's reviews for the portal. Each in a constant number of queries."""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils.translation import gettext

from marketplace.catalog.listing import validate_page_size
from marketplace.errors import DomainError
from marketplace.reviews.errors import ReviewError
from marketplace.reviews.models import Review, ReviewPhoto

PRODUCT_PAGE_SIZE = 10


@dataclass
class ReviewPage:
    items: list[Review]
    has_next: bool

    @property
    def end_cursor(self) -> str | None:
        return encode_cursor(self.items[-1]) if self.items else None


def encode_cursor(review: Review) -> str:
    raw = json.dumps([review.created_at.isoformat(), review.pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime.datetime, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created, pk = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError
        return datetime.datetime.fromisoformat(created), pk
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise DomainError(
            ReviewError.INVALID_CURSOR, gettext("Con trỏ phân trang không hợp lệ."), "after"
        )


def _with_photos(queryset):
    photos = ReviewPhoto.objects.order_by("position", "id")
    return queryset.prefetch_related(Prefetch("photos", queryset=photos))


def product_reviews(product, *, first: int = PRODUCT_PAGE_SIZE, after: str | None = None):
    """Visible reviews of a product, newest first (keyset on created_at, id)."""
    validate_page_size(first)
    reviews = Review.objects.visible().filter(product=product)
    if after:
        created, pk = _decode_cursor(after)
        reviews = reviews.filter(Q(created_at__lt=created) | Q(created_at=created, pk__lt=pk))
    rows = list(_with_photos(reviews.order_by("-created_at", "-id"))[: first + 1])
    return ReviewPage(items=rows[:first], has_next=len(rows) > first)


def reviews_by_line(lines) -> dict[int, Review]:
    """The reviews of these order lines (one query), for the order page."""
    ids = [line.pk for line in lines]
    return {r.line_id: r for r in Review.objects.filter(line_id__in=ids)}


def producer_reviews(user, *, limit: int = 100) -> list[Review]:
    """The newest reviews of the producers the user manages (hidden ones included, marked)."""
    reviews = Review.objects.for_member(user).select_related("product", "line__sub_order__order")
    return list(_with_photos(reviews.order_by("-created_at", "-id"))[:limit])
