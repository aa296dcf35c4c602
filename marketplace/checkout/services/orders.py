"""After the order: a producer's sub-order moves through its states; the order summarises them."""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.catalog import stock
from marketplace.checkout import lots
from marketplace.checkout.errors import CheckoutError
from marketplace.checkout.models import Order, OrderLine, OrderStatus, SubOrder
from marketplace.checkout.payment_state import require_shippable
from marketplace.errors import DomainError, ValidationFailed
from marketplace.payments import refunds
from marketplace.payments import services as payments
from marketplace.payments.models import Payment, RefundReason
from marketplace.text import nfc

# Sent with sub_order=… inside the delivery's transaction, after the sale is posted: the invoices
# app listens and issues the seller's e-invoice (checkout does not import it: the signal keeps
# the dependency pointing one way).
sub_order_delivered = Signal()

_NEXT = {
    OrderStatus.NEW: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.CONFIRMED: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
    OrderStatus.DELIVERED: set(),
    OrderStatus.CANCELLED: set(),
}


def order_status_from(statuses: list[str]) -> str:
    """The order's status summarises its sub-orders' (the cancelled ones aside)."""
    live = [s for s in statuses if s != OrderStatus.CANCELLED]
    if not live:
        return OrderStatus.CANCELLED
    if all(s == OrderStatus.DELIVERED for s in live):
        return OrderStatus.DELIVERED
    if any(s in (OrderStatus.SHIPPED, OrderStatus.DELIVERED) for s in live):
        return OrderStatus.SHIPPED
    if all(s == OrderStatus.CONFIRMED for s in live):
        return OrderStatus.CONFIRMED
    return OrderStatus.NEW


# A tracking number as carriers print it: letters, digits, dashes (spaces are dropped).
_TRACKING = re.compile(r"^[A-Z0-9-]{4,40}$")
MAX_CARRIER_CHARS = 60
MAX_CANCEL_REASON_CHARS = 500


@dataclass
class Fulfilment:
    """What a status move may carry: the parcel's carrier and tracking number, or a reason."""

    carrier: str = ""
    tracking_number: str = ""
    cancel_reason: str = ""
    # order line id → ids of the lots its units came from; lines left out take the default
    lots: dict[int, list[int]] | None = None


def _shipping_details(details: Fulfilment) -> tuple[str, str]:
    errors = []
    carrier = " ".join(nfc(details.carrier).split())
    tracking = "".join(nfc(details.tracking_number).split()).upper()
    if not carrier:
        errors.append(
            DomainError(
                CheckoutError.REQUIRED,
                gettext("Cần tên đơn vị vận chuyển, ví dụ Viettel Post."),
                "carrier",
            )
        )
    elif len(carrier) > MAX_CARRIER_CHARS:
        errors.append(
            DomainError(
                CheckoutError.TOO_LONG,
                gettext("Tên hãng vận chuyển dài tối đa %(max_carrier_chars)s ký tự.")
                % {"max_carrier_chars": MAX_CARRIER_CHARS},
                "carrier",
            )
        )
    if not tracking:
        errors.append(
            DomainError(
                CheckoutError.REQUIRED,
                gettext("Cần mã vận đơn để khách theo dõi."),
                "tracking_number",
            )
        )
    elif not _TRACKING.match(tracking):
        errors.append(
            DomainError(
                CheckoutError.INVALID_TRACKING_NUMBER,
                gettext("Mã vận đơn chỉ gồm chữ, số và dấu gạch ngang (4–40 ký tự)."),
                "tracking_number",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return carrier, tracking


def _cancel_reason(details: Fulfilment) -> str:
    reason = nfc(details.cancel_reason).strip()
    if not reason:
        raise DomainError(
            CheckoutError.REQUIRED, gettext("Cần ghi lý do huỷ để báo cho khách."), "cancel_reason"
        )
    if len(reason) > MAX_CANCEL_REASON_CHARS:
        raise DomainError(
            CheckoutError.TOO_LONG,
            gettext("Lý do huỷ dài tối đa %(max_cancel_reason_chars)s ký tự.")
            % {"max_cancel_reason_chars": MAX_CANCEL_REASON_CHARS},
            "cancel_reason",
        )
    return reason


def _restock(lines) -> None:
    restock = defaultdict(int)
    for line in lines:
        if line.product_id:
            restock[line.product_id] += line.quantity
    stock.return_stock(restock)


@transaction.atomic
def set_sub_order_status(
    sub_order_id: int, status: str, details: Fulfilment | None = None
) -> SubOrder:
    """Move a producer's sub-order along new → confirmed → shipped → delivered (or cancelled).

    Confirming and shipping need the sub-order paid or cash on delivery (an unpaid VietQR order
    is never shipped by mistake). Shipping needs the carrier and tracking number (the shopper
    follows the parcel with them) and records the lots the units came from; cancelling needs
    a reason (the shopper is told why), puts the stock back and refunds what was paid for it
    (marketplace.payments.refunds; nothing for cash never collected); delivering a cash-on-delivery
    sub-order records the cash, and every delivery posts the sale to the
    ledger (and, through `sub_order_delivered`, gets its e-invoice).
    """
    details = details or Fulfilment()
    sub = SubOrder.objects.select_for_update(of=("self",)).get(pk=sub_order_id)
    if status not in _NEXT.get(sub.status, set()):
        raise DomainError(
            CheckoutError.INVALID_TRANSITION,
            gettext("Không thể chuyển đơn từ “%(current)s” sang “%(status)s”.")
            % {"current": sub.get_status_display(), "status": status},
            "status",
        )
    if status in (OrderStatus.CONFIRMED, OrderStatus.SHIPPED):
        require_shippable(Payment.objects.filter(order_id=sub.order_id).first())
    changed = ["status", "updated_at"]
    if status == OrderStatus.SHIPPED:
        sub.carrier, sub.tracking_number = _shipping_details(details)
        lots.record_lots(sub, details.lots)
        sub.shipped_at = timezone.now()
        changed += ["carrier", "tracking_number", "shipped_at"]
    elif status == OrderStatus.CANCELLED:
        sub.cancel_reason = _cancel_reason(details)
        changed.append("cancel_reason")
    elif status == OrderStatus.DELIVERED:
        sub.delivered_at = timezone.now()
        changed.append("delivered_at")
    sub.status = status
    sub.save(update_fields=changed)
    if status == OrderStatus.CANCELLED:
        _restock(sub.lines.filter(cancelled_at=None))
        refunds.refund_all_left(sub, key=f"cancel:{sub.pk}", reason=RefundReason.CANCEL)
    # Two producers moving their sub-orders of one order at once: the order row's lock makes the
    # second read the first one's committed status, so the summary never misses a move.
    order = Order.objects.select_for_update().get(pk=sub.order_id)
    order.status = order_status_from(list(order.sub_orders.values_list("status", flat=True)))
    order.save(update_fields=["status"])
    sub.order = order
    if status == OrderStatus.DELIVERED:
        payments.delivered(sub)
        sub_order_delivered.send(sender=SubOrder, sub_order=sub)
    return sub


CANCELLABLE_LINE = (OrderStatus.NEW, OrderStatus.CONFIRMED)


@transaction.atomic
def cancel_line(line_id: int, details: Fulfilment) -> SubOrder:
    """Cancel one line of a sub-order not shipped yet: its stock goes back, the sub-order's
    subtotal drops by the line and what was paid for the line is refunded. Cancelling the
    last line left cancels the sub-order (its shipping is refunded too)."""
    line = OrderLine.objects.get(pk=line_id)
    sub = SubOrder.objects.select_for_update(of=("self",)).get(pk=line.sub_order_id)
    line = OrderLine.objects.select_for_update().get(pk=line_id)
    if sub.status not in CANCELLABLE_LINE:
        raise DomainError(
            CheckoutError.INVALID_TRANSITION,
            gettext("Chỉ hủy được từng sản phẩm khi đơn chưa gửi đi (đang “%(current)s”).")
            % {"current": sub.get_status_display()},
            "status",
        )
    if line.cancelled_at is not None:
        raise DomainError(
            CheckoutError.LINE_CANCELLED, gettext("Sản phẩm này đã được hủy trước đó."), "line"
        )
    if not sub.lines.filter(cancelled_at=None).exclude(pk=line.pk).exists():
        return set_sub_order_status(sub.pk, OrderStatus.CANCELLED, details)
    line.cancel_reason = _cancel_reason(details)
    line.cancelled_at = timezone.now()
    line.save(update_fields=["cancel_reason", "cancelled_at"])
    sub.subtotal -= line.line_total
    sub.total -= line.line_total
    sub.save(update_fields=["subtotal", "total", "updated_at"])
    _restock([line])
    refunds.refund_if_paid(
        sub, line.line_total, key=f"line:{line.pk}", reason=RefundReason.CANCEL_LINE
    )
    return sub
