"""Recalling lots: a `recalled` event on each lot's chain, then every buyer who got one is told.

The events go through traceability.events (the chain's one writer), all lots in one
transaction; the buyers are found through the lots recorded on order lines at shipping and
notified by email and SMS only after the commit (no message for a recall that did not happen).
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.checkout.models import Order
from marketplace.errors import DomainError
from marketplace.notify.sms import send_sms
from marketplace.text import nfc
from producers.errors import ProducerError
from traceability import digital_link
from traceability.events import EventData, record_member_event
from traceability.models import Batch
from traceability.selectors import gtin14
from traceability.verification import trace

log = logging.getLogger(__name__)
MAX_REASON_CHARS = 500


@dataclass(frozen=True)
class RecallResult:
    lots: list[Batch]
    buyers: int  # orders notified (after commit)


def recallable_lots(user):
    return Batch.objects.for_member(user).select_related("product__producer")


def _reason(text: str) -> str:
    reason = " ".join(nfc(text or "").split())
    if not reason:
        raise DomainError(
            ProducerError.REQUIRED, gettext("Cần ghi lý do thu hồi để báo cho người mua."), "reason"
        )
    if len(reason) > MAX_REASON_CHARS:
        raise DomainError(
            ProducerError.TOO_LONG,
            gettext("Lý do thu hồi dài tối đa %(max_reason_chars)s ký tự.")
            % {"max_reason_chars": MAX_REASON_CHARS},
            "reason",
        )
    return reason


def buyers_of(batch_ids) -> list[Order]:
    """Orders with a line shipped from one of these lots, each once."""
    return list(
        Order.objects.filter(sub_orders__lines__lots__batch_id__in=list(batch_ids))
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def recall_lots(user, batch_ids: list[int], reason: str) -> RecallResult:
    """Members recall their own lots, staff any lot; an already recalled lot is refused."""
    reason = _reason(reason)
    ids = sorted(set(batch_ids))
    if not ids:
        raise DomainError(
            ProducerError.REQUIRED, gettext("Hãy chọn ít nhất một lô cần thu hồi."), "lots"
        )
    lots = list(recallable_lots(user).filter(pk__in=ids).order_by("pk"))
    if len(lots) != len(ids):
        raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy lô hàng."), "lot")
    now = timezone.now()
    for batch in lots:
        if trace(batch).recalled:
            raise DomainError(
                ProducerError.ALREADY_RECALLED,
                gettext("Lô %(lot)s đã được thu hồi trước đó.") % {"lot": batch.lot},
                "lots",
            )
        record_member_event(
            user,
            gtin14(batch.product),
            batch.lot,
            EventData(
                event_type="ObjectEvent",
                action="OBSERVE",
                biz_step="holding",
                disposition="recalled",
                event_time=now,
                actor="",
                note=f"Thu hồi: {reason}",
            ),
        )
    orders = buyers_of(ids)
    lot_ids = [b.pk for b in lots]
    transaction.on_commit(lambda: notify_buyers(lot_ids, reason), robust=True)
    return RecallResult(lots=lots, buyers=len(orders))


def _message(batches: list[Batch], reason: str) -> str:
    names = "; ".join(f"{b.product.name} (lô {b.lot})" for b in batches)
    links = " ".join(digital_link.uri_for(b) for b in batches)
    return (
        f"Chợ OCOP: THU HỒI {names}. Lý do: {reason}. Xin đừng sử dụng sản phẩm; "
        f"cơ sở sẽ liên hệ đổi trả. Chi tiết: {links}"
    )


def notify_buyers(batch_ids: list[int], reason: str) -> int:
    """Email and SMS to every buyer of these lots (runs after commit; failures are logged)."""
    batches = {b.pk: b for b in Batch.objects.filter(pk__in=batch_ids).select_related("product")}
    orders = (
        Order.objects.filter(sub_orders__lines__lots__batch_id__in=batch_ids)
        .distinct()
        .prefetch_related("sub_orders__lines__lots")
    )
    mails, notified = [], 0
    for order in orders:
        got = sorted(
            {
                item.batch_id
                for sub in order.sub_orders.all()
                for line in sub.lines.all()
                for item in line.lots.all()
                if item.batch_id in batches
            }
        )
        text = _message([batches[pk] for pk in got], reason)
        if order.email:
            subject = f"Thu hồi sản phẩm trong đơn {order.number}"
            mails.append((subject, f"{text}\n\n{settings.SITE_URL}", None, [order.email]))
        phone = order.phone or order.address_phone
        try:
            send_sms(phone, text)
        except (DomainError, OSError):
            log.exception("could not text the buyer of order %s about a recall", order.number)
        notified += 1
    try:
        send_mass_mail(mails, fail_silently=False)
    except OSError:
        log.exception("could not email the recall of lots %s", batch_ids)
    return notified
