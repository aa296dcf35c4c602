"""What a producer needs to know about the money of a sub-order before shipping it."""

from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext

from marketplace.checkout.errors import CheckoutError
from marketplace.errors import DomainError
from marketplace.payments.models import PaymentMethod, PaymentStatus


class PaymentState(StrEnum):
    PAID = "PAID"  # VietQR transfer reconciled, or Stripe captured
    AWAITING = "AWAITING"  # VietQR / Stripe not (fully) received yet: do not ship
    COD = "COD"  # the courier collects the sub-order's total on delivery


def payment_state(payment) -> PaymentState:
    """Payments belong to the whole order; a missing one (old data) is treated as unpaid."""
    if payment is None:
        return PaymentState.AWAITING
    if payment.method == PaymentMethod.COD:
        return PaymentState.COD
    if payment.status == PaymentStatus.PAID:
        return PaymentState.PAID
    return PaymentState.AWAITING


def awaiting(prefix: str = "") -> Q:
    """The AWAITING state as a filter, for lists and counts (`prefix` leads to the payment)."""
    return ~Q(**{f"{prefix}method": PaymentMethod.COD}) & ~Q(
        **{f"{prefix}status": PaymentStatus.PAID}
    )


def cod_amount(sub_order, payment) -> int:
    """What the courier collects for this sub-order: its total with COD, nothing otherwise."""
    return sub_order.total if payment_state(payment) == PaymentState.COD else 0


def require_shippable(payment) -> None:
    """Only paid or cash-on-delivery sub-orders may be confirmed or shipped."""
    if payment_state(payment) == PaymentState.AWAITING:
        raise DomainError(
            CheckoutError.PAYMENT_AWAITING,
            gettext(
                "Đơn đang chờ khách thanh toán (chưa nhận được chuyển khoản): chưa thể "
                "xác nhận hay gửi hàng."
            ),
            "payment",
        )
