"""Reviews: verified buyers rate delivered lines, producers reply, staff hide or show.

Who may review is proved by the caller, never assumed: a `Buyer` carries the order numbers this
browser was granted (checkout or order lookup, as the order page uses) and, for a signed-in
shopper, the verified phone. Each write runs in one transaction and refreshes the product's
denormalised rating from the visible reviews, so cards and the rating sort never aggregate.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext

from marketplace import access
from marketplace.access import Permission
from marketplace.catalog import images
from marketplace.catalog.models import Product
from marketplace.checkout.models import OrderLine, OrderStatus
from marketplace.errors import DomainError, ValidationFailed
from marketplace.reviews.errors import ReviewError
from marketplace.reviews.models import Review, ReviewPhoto
from marketplace.text import nfc, nfc_lines

MAX_TEXT = 2000
MAX_REPLY = 1000
MAX_REASON = 500
MAX_PHOTOS = 3


@dataclass(frozen=True)
class Buyer:
    """What the caller has proved about which orders are theirs."""

    order_numbers: frozenset[str] = field(default_factory=frozenset)
    phone: str | None = None  # a signed-in shopper's verified phone (+84…)

    def owns(self, order) -> bool:
        return order.number in self.order_numbers or bool(self.phone and self.phone == order.phone)


def _not_found() -> DomainError:
    return DomainError(
        ReviewError.NOT_FOUND, gettext("Không tìm thấy sản phẩm này trong đơn."), "line_id"
    )


def reviewable_line(line_id, buyer: Buyer, order_number: str | None = None) -> OrderLine:
    """The buyer's delivered, not yet reviewed line (of that order, if named), or the reason
    it cannot be reviewed."""
    try:
        line_id = int(line_id)
    except (TypeError, ValueError):
        raise _not_found()
    line = (
        OrderLine.objects.select_related("sub_order__order", "product").filter(pk=line_id).first()
    )
    # Someone else's line reads exactly like a missing one: ids reveal nothing.
    if line is None or not buyer.owns(line.sub_order.order):
        raise _not_found()
    if order_number is not None and line.sub_order.order.number != order_number:
        raise _not_found()
    if line.product is None:
        raise DomainError(ReviewError.NOT_FOUND, gettext("Sản phẩm này không còn bán."), "line_id")
    if line.sub_order.status != OrderStatus.DELIVERED:
        raise DomainError(
            ReviewError.NOT_DELIVERED,
            gettext("Chỉ đánh giá được sản phẩm đã giao tới bạn."),
            "line_id",
        )
    if Review.objects.filter(line=line).exists():
        raise DomainError(
            ReviewError.ALREADY_REVIEWED, gettext("Bạn đã đánh giá sản phẩm này rồi."), "line_id"
        )
    return line


def _author_name(full_name: str) -> str:
    """'Nguyễn Thị Lan' → 'Lan N.': a buyer is named, not identified."""
    words = nfc(full_name).split()
    if not words:
        return "Khách mua"
    if len(words) == 1:
        return words[0][:40]
    return f"{words[-1][:40]} {words[0][0]}."


def _validated(rating, text: str, photos: list) -> tuple[int, str]:
    errors = []
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        errors.append(
            DomainError(ReviewError.INVALID_RATING, gettext("Hãy chọn từ 1 đến 5 sao."), "rating")
        )
    text = nfc_lines(text or "")
    if len(text) > MAX_TEXT:
        errors.append(
            DomainError(
                ReviewError.TEXT_TOO_LONG,
                gettext("Lời nhận xét dài %(length)s ký tự, tối đa %(max_text)s.")
                % {"length": len(text), "max_text": MAX_TEXT},
                "text",
            )
        )
    if len(photos) > MAX_PHOTOS:
        errors.append(
            DomainError(
                ReviewError.TOO_MANY_PHOTOS,
                gettext("Tối đa %(max_photos)s ảnh cho một đánh giá.") % {"max_photos": MAX_PHOTOS},
                "photos",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return rating, text


@transaction.atomic  # the row lock needs a transaction; inside a review's write it is a savepoint
def refresh_rating(product_id: int) -> None:
    """Recount the product's visible reviews into its denormalised rating (row-locked)."""
    Product.objects.select_for_update().filter(pk=product_id).first()
    totals = Review.objects.visible().filter(product_id=product_id)
    totals = totals.aggregate(count=Count("id"), total=Sum("rating"))
    count, total = totals["count"], totals["total"] or 0
    Product.objects.filter(pk=product_id).update(
        rating_count=count,
        rating_total=total,
        rating_sort=round(100 * total / count) if count else 0,
    )


def create_review(line_id, buyer: Buyer, *, rating, text: str = "", photos=()) -> Review:
    """Record a verified buyer's review of a delivered line, with up to three photos."""
    photos = list(photos)
    line = reviewable_line(line_id, buyer)
    rating, text = _validated(rating, text, photos)
    # Decode and check every upload before anything is written: a bad photo saves nothing.
    opened = []
    for upload in photos:
        try:
            opened.append(images.open_upload(upload))
        except DomainError as exc:
            raise DomainError(exc.code, exc.message, "photos") from exc
    written: list[str] = []
    try:
        with transaction.atomic():
            review = Review.objects.create(
                line=line,
                product=line.product,
                producer_id=line.sub_order.producer_id,
                rating=rating,
                text=text,
                author_name=_author_name(line.sub_order.order.full_name),
            )
            for position, picture in enumerate(opened):
                name, normal = images.write_files(f"reviews/{review.pk}", picture)
                written.extend(images.file_names(name))
                ReviewPhoto.objects.create(
                    review=review,
                    file=name,
                    width=normal.width,
                    height=normal.height,
                    position=position,
                )
            refresh_rating(line.product_id)
    except IntegrityError:
        images.delete_names(written)
        # Two submissions at once: the unique line key let one through.
        raise DomainError(
            ReviewError.ALREADY_REVIEWED, gettext("Bạn đã đánh giá sản phẩm này rồi."), "line_id"
        )
    except Exception:
        images.delete_names(written)
        raise
    return review


def _review_for_member(user, review_id) -> Review:
    review = Review.objects.for_member(user).filter(pk=review_id).first()
    if review is None:
        raise DomainError(ReviewError.NOT_FOUND, gettext("Không tìm thấy đánh giá."), "review_id")
    return review


@transaction.atomic
def reply(user, review_id, text: str) -> Review:
    """The producer's public answer (a member of the review's producer, or staff)."""
    review = _review_for_member(user, review_id)
    text = nfc_lines(text or "")
    if not text:
        raise DomainError(ReviewError.REPLY_REQUIRED, gettext("Hãy viết lời trả lời."), "text")
    if len(text) > MAX_REPLY:
        raise DomainError(
            ReviewError.TEXT_TOO_LONG,
            gettext("Lời trả lời dài %(length)s ký tự, tối đa %(max_reply)s.")
            % {"length": len(text), "max_reply": MAX_REPLY},
            "text",
        )
    review.reply_text = text
    review.replied_at = timezone.now()
    review.replied_by = user
    review.save(update_fields=["reply_text", "replied_at", "replied_by"])
    return review


def _staff_review(user, review_id) -> Review:
    access.require(user, Permission.MODERATE)
    review = Review.objects.select_for_update().filter(pk=review_id).first()
    if review is None:
        raise DomainError(ReviewError.NOT_FOUND, gettext("Không tìm thấy đánh giá."), "review_id")
    return review


@transaction.atomic
def moderate(user, review_id, *, hidden: bool, reason: str) -> Review:
    """Staff hide a review (it leaves the product page and the rating) or show it again; the
    reason of the latest decision is kept with who took it."""
    review = _staff_review(user, review_id)
    reason = nfc(reason or "")
    if not reason:
        raise DomainError(ReviewError.REASON_REQUIRED, gettext("Hãy ghi lý do."), "reason")
    if len(reason) > MAX_REASON:
        raise DomainError(
            ReviewError.TEXT_TOO_LONG,
            gettext("Lý do tối đa %(max_reason)s ký tự.") % {"max_reason": MAX_REASON},
            "reason",
        )
    review.hidden_at = (review.hidden_at or timezone.now()) if hidden else None
    review.hidden_reason = reason
    review.hidden_by = user
    review.save(update_fields=["hidden_at", "hidden_reason", "hidden_by"])
    refresh_rating(review.product_id)
    return review
