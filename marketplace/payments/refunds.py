"""Refunds: what the shopper paid for a cancelled sub-order, line or returned sale goes back.

Stripe refunds go through Stripe's Refunds API after the cancelling transaction commits (no
network call inside it); REFUND is posted when Stripe says the refund succeeded (its answer or
its webhook, whichever comes first: the ledger key makes the second a no-op). Money received by
bank transfer (VietQR) or collected in cash by the courier goes back by bank transfer: REFUND
is posted at once (the platform now owes it, `refunds_due`), the shopper gives the account on
the order page, staff send it and record the bank's reference (REFUND_PAID).

Every refund has a business key naming its cause (`cancel:<sub-order>`, `line:<line>`,
`return:<return>`), unique in the database: the same cause never refunds twice.
"""

import logging
import re

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

from marketplace import access
from marketplace.access import Permission
from marketplace.errors import DomainError, ValidationFailed
from marketplace.payments import emails, offering, stripe_gateway, vietqr
from marketplace.payments.errors import PaymentError
from marketplace.payments.models import (
    Payment,
    PaymentEvent,
    PaymentEventKind,
    PaymentMethod,
    PaymentStatus,
    Refund,
    RefundAccount,
    RefundChannel,
    RefundStatus,
)
from marketplace.settlements import ledger
from marketplace.settlements.models import Account, EntryKind
from marketplace.text import fold, nfc

log = logging.getLogger(__name__)

# Vietnamese bank account numbers: 6 to 19 digits (NAPAS); holders as the bank prints them.
_ACCOUNT_NUMBER = re.compile(r"^\d{6,19}$")
_HOLDER = re.compile(r"^[A-Z][A-Z ]{1,69}$")
_BANK_REFERENCE = re.compile(r"^[A-Za-z0-9./_-]{4,100}$")


def paid_for(sub_order, payment: Payment) -> int:
    """What the shopper paid for this sub-order: with cash on delivery what the courier
    collected for it; otherwise, once the order is fully paid, its lines (cancelled ones too)
    and its shipping."""
    if payment.method == PaymentMethod.COD:
        collected = PaymentEvent.objects.filter(
            payment=payment, kind=PaymentEventKind.RECEIVED, idempotency_key=f"cod:{sub_order.pk}"
        ).first()
        return collected.amount if collected else 0
    if payment.status != PaymentStatus.PAID:
        return 0
    lines = sub_order.lines.aggregate(total=Sum("line_total"))["total"] or 0
    return lines + sub_order.shipping_fee


def refunded(sub_order) -> int:
    """Refunds of this sub-order so far (failed ones gave nothing back)."""
    return (
        Refund.objects.filter(sub_order_id=sub_order.pk)
        .exclude(status=RefundStatus.FAILED)
        .aggregate(total=Sum("amount"))["total"]
        or 0
    )


def refundable(sub_order, payment: Payment) -> int:
    return max(0, paid_for(sub_order, payment) - refunded(sub_order))


def refund(sub_order, amount: int, *, key: str, reason: str) -> Refund:
    """Refund `amount` of what was paid for `sub_order`, inside the caller's transaction (the one
    that records the cancellation or the return)."""
    payment = Payment.objects.select_for_update().get(order_id=sub_order.order_id)
    if Refund.objects.filter(key=key).exists():
        raise DomainError(
            PaymentError.REFUND_DUPLICATE,
            gettext("Khoản hoàn tiền này đã được tạo trước đó; không hoàn lại lần nữa."),
            "refund",
        )
    if amount <= 0:
        raise DomainError(
            PaymentError.REFUND_INVALID_AMOUNT,
            gettext("Số tiền hoàn phải lớn hơn 0."),
            "amount",
        )
    paid = paid_for(sub_order, payment)
    if paid == 0:
        raise DomainError(
            PaymentError.REFUND_UNPAID,
            gettext("Đơn chưa được thanh toán: không có tiền nào để hoàn."),
            "amount",
        )
    left = paid - refunded(sub_order)
    if amount > left:
        raise DomainError(
            PaymentError.REFUND_TOO_LARGE,
            gettext("Chỉ còn hoàn được %(left)s đồng (khách đã trả %(paid)s đồng).")
            % {"left": left, "paid": paid},
            "amount",
        )
    channel = RefundChannel.STRIPE if payment.method == PaymentMethod.STRIPE else RefundChannel.BANK
    item = Refund.objects.create(
        payment=payment,
        sub_order_id=sub_order.pk,
        key=key,
        reason=reason,
        channel=channel,
        amount=amount,
    )
    if channel == RefundChannel.BANK:
        _post(item, Account.REFUNDS_DUE)
    else:
        transaction.on_commit(lambda: send_to_stripe(item.pk))
    transaction.on_commit(lambda: emails.send_refund_email(item.pk))
    return item


def refund_if_paid(sub_order, amount: int, *, key: str, reason: str) -> Refund | None:
    """The refund for a cancellation: none when nothing was paid (cash never collected, a
    transfer not received), else `amount` of it."""
    payment = Payment.objects.filter(order_id=sub_order.order_id).first()
    if payment is None or paid_for(sub_order, payment) == 0:
        return None
    return refund(sub_order, amount, key=key, reason=reason)


def refund_all_left(sub_order, *, key: str, reason: str) -> Refund | None:
    """Everything paid for the sub-order that was not refunded yet (its cancellation)."""
    payment = Payment.objects.filter(order_id=sub_order.order_id).first()
    left = refundable(sub_order, payment) if payment else 0
    if left == 0:
        return None
    return refund(sub_order, left, key=key, reason=reason)


def _post(item: Refund, credit: str) -> None:
    ledger.transfer(
        EntryKind.REFUND,
        f"refund:{item.pk}",
        debit=Account.SHOPPER_FUNDS,
        credit=credit,
        amount=item.amount,
        order_id=item.payment.order_id,
        producer_id=item.sub_order.producer_id,
    )


# --- Stripe ------------------------------------------------------------------------------------


def send_to_stripe(refund_id: int) -> str:
    """Ask Stripe to refund (after commit, never inside a transaction). The idempotency key is
    the refund's own, so a retry (`send_refunds`) or a second worker never refunds twice."""
    item = Refund.objects.select_related("payment").get(pk=refund_id)
    if item.channel != RefundChannel.STRIPE or item.status != RefundStatus.PENDING:
        return "skipped"
    try:
        answer = stripe_gateway.create_refund(
            item.payment.stripe_payment_intent, item.amount, item.key
        )
    except stripe_gateway.stripe.StripeError:
        log.warning("Stripe refund %s not sent; `send_refunds` retries", item.key, exc_info=True)
        return "unreachable"
    return apply_stripe_refund(item.pk, answer.id, answer.status)


@transaction.atomic
def apply_stripe_refund(refund_id: int, stripe_refund_id: str, status: str) -> str:
    """Record what Stripe says of a refund (its API answer or a webhook), once."""
    item = (
        Refund.objects.select_for_update().select_related("payment", "sub_order").get(pk=refund_id)
    )
    if item.status != RefundStatus.PENDING:
        return "duplicate"
    item.stripe_refund_id = stripe_refund_id
    if status == "succeeded":
        item.status = RefundStatus.SUCCEEDED
        item.completed_at = timezone.now()
        _post(item, Account.STRIPE_BALANCE)
        transaction.on_commit(lambda: emails.send_refund_email(item.pk))
    elif status in ("failed", "canceled"):
        item.status = RefundStatus.FAILED
        item.completed_at = timezone.now()
    item.save(update_fields=["stripe_refund_id", "status", "completed_at"])
    return {"succeeded": "refunded", "failed": "refund_failed", "canceled": "refund_failed"}.get(
        status, "refund_pending"
    )


def handle_stripe_refund_event(obj) -> str:
    """`refund.*` / `charge.refund.updated` webhooks: the event carries the Refund object."""
    item = Refund.objects.filter(stripe_refund_id=obj.id).first()
    if item is None:
        key = (getattr(obj, "metadata", None) or {}).get("refund_key")
        item = Refund.objects.filter(key=key).first() if key else None
    if item is None:
        return "unknown_refund"
    return apply_stripe_refund(item.pk, obj.id, obj.status)


def send_pending_to_stripe() -> dict[str, int]:
    """Retry the Stripe refunds that never reached Stripe (it was down at cancel time)."""
    counts: dict[str, int] = {}
    pending = Refund.objects.filter(
        channel=RefundChannel.STRIPE, status=RefundStatus.PENDING, stripe_refund_id=""
    ).values_list("pk", flat=True)
    for refund_id in list(pending):
        outcome = send_to_stripe(refund_id)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


# --- Bank transfers ----------------------------------------------------------------------------


def clean_bank_account(bank_bin: str, account_number: str, holder_name: str):
    """(bin, number, holder) as banks write them, or ValidationFailed naming each bad field:
    refunds to shoppers and payouts to producers go to accounts checked the same way."""
    bank_bin = nfc(bank_bin)
    number = "".join(nfc(account_number).split()).replace("-", "").replace(".", "")
    # Banks print holders in capitals without diacritics: NGUYEN THI LAN.
    holder = " ".join(fold(holder_name).upper().split())
    errors = _bank_account_errors(bank_bin, number, holder)
    if errors:
        raise ValidationFailed(errors)
    return bank_bin, number, holder


def _bank_account_errors(bank_bin: str, number: str, holder: str) -> list[DomainError]:
    errors = []
    if offering.bank_for_bin(bank_bin) is None:
        errors.append(
            DomainError(
                PaymentError.INVALID_BANK,
                gettext("Hãy chọn ngân hàng trong danh sách."),
                "bank_bin",
            )
        )
    if not _ACCOUNT_NUMBER.match(number):
        errors.append(
            DomainError(
                PaymentError.INVALID_ACCOUNT_NUMBER,
                gettext("Số tài khoản gồm 6 đến 19 chữ số."),
                "account_number",
            )
        )
    if not _HOLDER.match(holder):
        errors.append(
            DomainError(
                PaymentError.INVALID_HOLDER_NAME,
                gettext("Tên chủ tài khoản chỉ gồm chữ cái và khoảng trắng, như in trên thẻ."),
                "holder_name",
            )
        )
    return errors


@transaction.atomic
def set_refund_account(
    payment: Payment, bank_bin: str, account_number: str, holder_name: str
) -> RefundAccount:
    """The shopper's account for bank refunds of this order (replaces an earlier one)."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.method == PaymentMethod.STRIPE:
        raise DomainError(
            PaymentError.REFUND_ACCOUNT_NOT_NEEDED,
            gettext("Đơn trả bằng thẻ được hoàn thẳng về thẻ: không cần số tài khoản."),
            "bank_bin",
        )
    bank_bin, number, holder = clean_bank_account(bank_bin, account_number, holder_name)
    account, _ = RefundAccount.objects.update_or_create(
        payment=payment,
        defaults={"bank_bin": bank_bin, "account_number": number, "holder_name": holder},
    )
    return account


def clean_bank_reference(value: str) -> str:
    """The reference of a transfer the platform's bank made, as typed by staff (spaces go)."""
    reference = nfc(value).replace(" ", "")
    if not _BANK_REFERENCE.match(reference):
        raise DomainError(
            PaymentError.INVALID_BANK_REFERENCE,
            gettext("Cần mã giao dịch của ngân hàng (4–100 chữ, số, . / _ -)."),
            "bank_reference",
        )
    return reference


@transaction.atomic
def mark_paid(user, refund_id: int, bank_reference: str) -> Refund:
    """Staff sent a bank refund: record the bank's reference and post REFUND_PAID (once)."""
    access.require(user, Permission.REFUNDS)
    item = (
        Refund.objects.select_for_update(of=("self",))
        .select_related("payment", "sub_order")
        .filter(pk=refund_id)
        .first()
    )
    if item is None:
        raise DomainError(
            PaymentError.NOT_FOUND, gettext("Không tìm thấy khoản hoàn tiền."), "refund"
        )
    if item.channel != RefundChannel.BANK:
        raise DomainError(
            PaymentError.REFUND_NOT_BANK,
            gettext("Khoản này hoàn qua Stripe, không chuyển khoản tay."),
            "refund",
        )
    if item.status != RefundStatus.PENDING:
        raise DomainError(
            PaymentError.REFUND_NOT_PENDING,
            gettext("Khoản hoàn tiền này đã được ghi là đã chuyển."),
            "refund",
        )
    if not RefundAccount.objects.filter(payment_id=item.payment_id).exists():
        raise DomainError(
            PaymentError.REFUND_NO_ACCOUNT,
            gettext("Khách chưa cho số tài khoản nhận tiền hoàn."),
            "refund",
        )
    reference = clean_bank_reference(bank_reference)
    ledger.transfer(
        EntryKind.REFUND_PAID,
        f"refund-paid:{item.pk}",
        debit=Account.REFUNDS_DUE,
        credit=Account.PLATFORM_BANK,
        amount=item.amount,
        order_id=item.payment.order_id,
        producer_id=item.sub_order.producer_id,
    )
    item.status = RefundStatus.SUCCEEDED
    item.bank_reference = reference
    item.paid_by = user
    item.completed_at = timezone.now()
    item.save(update_fields=["status", "bank_reference", "paid_by", "completed_at"])
    transaction.on_commit(lambda: emails.send_refund_email(item.pk))
    return item


def pending_bank_refunds():
    """What staff have to send, oldest first, with where to send it."""
    return (
        Refund.objects.filter(channel=RefundChannel.BANK, status=RefundStatus.PENDING)
        .select_related("payment__order", "payment__refund_account", "sub_order__producer")
        .order_by("created_at", "id")
    )


def transfer_payload(item: Refund) -> str:
    """The VietQR content staff scan to send a bank refund: the shopper's account, the amount
    and the order number (empty until the shopper gave an account)."""
    account = getattr(item.payment, "refund_account", None)
    if account is None:
        return ""
    number = item.payment.order.number
    return vietqr.payload(
        account.bank_bin, account.account_number, item.amount, number, f"HOAN TIEN {number}"
    )
