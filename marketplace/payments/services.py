"""Payments: one provider per method, every money movement written once to the ledger.

Providers: COD (cash on delivery: paid as sub-orders are delivered), VietQR (bank transfer,
reconciled from the bank statement), Stripe (cards; confirmed by signed webhooks).
Each ledger row has a unique idempotency key, so a replayed webhook, a statement imported
twice or a delivery marked twice changes nothing.
"""

import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext

from marketplace.errors import DomainError
from marketplace.payments import offering, refunds, stripe_gateway, vietqr
from marketplace.payments.errors import PaymentError
from marketplace.payments.models import (
    Payment,
    PaymentEvent,
    PaymentEventKind,
    PaymentMethod,
    PaymentStatus,
)
from marketplace.payments.statement import StatementLine
from marketplace.settlements import charges, ledger
from marketplace.settlements.models import Account, EntryKind

log = logging.getLogger(__name__)

VIETQR_PURPOSE = "thanh toan don hang"


class Provider:
    """Offline preparation inside the order's transaction; network work after it."""

    method: str

    def prepare(self, payment: Payment) -> None:
        pass

    def start(self, payment: Payment) -> None:
        pass


class CashOnDelivery(Provider):
    method = PaymentMethod.COD


class VietQR(Provider):
    method = PaymentMethod.VIETQR

    def prepare(self, payment: Payment) -> None:
        payment.vietqr_payload = vietqr.payload(
            settings.VIETQR_BANK_BIN,
            settings.VIETQR_ACCOUNT_NUMBER,
            payment.amount,
            payment.order.number,
            VIETQR_PURPOSE,
        )


class Stripe(Provider):
    method = PaymentMethod.STRIPE

    def start(self, payment: Payment) -> None:
        if payment.stripe_payment_intent:
            return
        try:
            intent = stripe_gateway.create_payment_intent(payment.amount, payment.order.number)
        except stripe_gateway.stripe.StripeError:
            # The order stands; the order page asks again (same idempotency key) when shown.
            log.warning("Stripe unreachable for order %s", payment.order.number, exc_info=True)
            return
        payment.stripe_payment_intent = intent.id
        payment.stripe_client_secret = intent.client_secret
        payment.save(update_fields=["stripe_payment_intent", "stripe_client_secret", "updated_at"])


PROVIDERS: dict[str, Provider] = {p.method: p for p in (CashOnDelivery(), VietQR(), Stripe())}


def create_payment(order, method: str) -> Payment:
    payment = Payment(order=order, method=method, amount=order.total)
    PROVIDERS[method].prepare(payment)
    payment.save()
    record_event(payment, PaymentEventKind.STARTED, f"start:{order.number}", amount=0)
    return payment


def start_payment(payment: Payment) -> None:
    """Network work (Stripe) after the order is committed: never inside a transaction."""
    PROVIDERS[payment.method].start(payment)


def payment_problem(payment: Payment) -> DomainError | None:
    """Why the shopper cannot pay this way right now (the order itself stands)."""
    if (
        payment.method == PaymentMethod.STRIPE
        and payment.status == PaymentStatus.PENDING
        and not payment.stripe_client_secret
    ):
        return DomainError(
            PaymentError.PAYMENT_UNAVAILABLE,
            gettext(
                "Chưa kết nối được cổng thanh toán thẻ. Đơn hàng đã được ghi nhận: hãy "
                "thử lại sau ít phút, hoặc chọn chuyển khoản VietQR hay trả tiền khi "
                "nhận hàng."
            ),
            "payment_method",
        )
    return None


@transaction.atomic
def change_method(payment: Payment, method: str) -> Payment:
    """Pay another way, as long as no money moved and no card payment was started."""
    payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
    if payment.method == method:
        return payment
    offering.require_offered(method)
    if payment.amount_received or payment.stripe_payment_intent:
        raise DomainError(
            PaymentError.PAYMENT_METHOD_LOCKED,
            gettext(
                "Đơn %(number)s đã bắt đầu thanh toán (%(method)s); không đổi được cách thanh toán."
            )
            % {"number": payment.order.number, "method": payment.get_method_display()},
            "payment_method",
        )
    previous = payment.method
    payment.method = method
    payment.status = PaymentStatus.PENDING
    payment.vietqr_payload = ""
    PROVIDERS[method].prepare(payment)
    payment.save()
    record_event(
        payment,
        PaymentEventKind.STARTED,
        f"method:{payment.order.number}:{uuid.uuid4().hex}",
        data={"from": previous, "to": method},
    )
    return payment


def record_event(
    payment: Payment, kind: str, key: str, amount: int = 0, data: dict | None = None
) -> bool:
    """Append to the ledger; False when the key was seen before (nothing is written then)."""
    try:
        with transaction.atomic():
            PaymentEvent.objects.create(
                payment=payment, kind=kind, idempotency_key=key, amount=amount, data=data or {}
            )
    except IntegrityError:
        return False
    return True


# Where the shopper's money sits once received, by how it was paid.
RECEIVED_INTO = {
    PaymentMethod.COD: Account.CARRIER_COD,
    PaymentMethod.VIETQR: Account.PLATFORM_BANK,
    PaymentMethod.STRIPE: Account.STRIPE_BALANCE,
}


@transaction.atomic
def receive(
    payment: Payment, amount: int, key: str, data: dict | None = None, producer_id=None
) -> bool:
    """Money arrived. Returns False for a repeat of an event already in the ledger.

    `producer_id`: the producer whose sub-order the money was for, when it was for one
    (cash collected on delivery).
    """
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if PaymentEvent.objects.filter(idempotency_key=key).exists():
        return False
    if amount <= 0 or payment.amount_received + amount > payment.amount:
        raise DomainError(
            PaymentError.AMOUNT_MISMATCH,
            gettext("Số tiền %(amount)s không khớp khoản còn phải thu %(due)s.")
            % {"amount": amount, "due": payment.amount - payment.amount_received},
            "amount",
        )
    if not record_event(payment, PaymentEventKind.RECEIVED, key, amount, data):
        return False
    ledger.transfer(
        EntryKind.COD_COLLECTED
        if payment.method == PaymentMethod.COD
        else EntryKind.PAYMENT_RECEIVED,
        f"received:{key}",
        debit=RECEIVED_INTO[payment.method],
        credit=Account.SHOPPER_FUNDS,
        amount=amount,
        order_id=payment.order_id,
        producer_id=producer_id,
    )
    Payment.objects.filter(pk=payment.pk).update(amount_received=F("amount_received") + amount)
    payment.refresh_from_db(fields=["amount_received"])
    payment.status = (
        PaymentStatus.PAID
        if payment.amount_received == payment.amount
        else PaymentStatus.PARTIALLY_PAID
    )
    payment.save(update_fields=["status", "updated_at"])
    return True


def delivered(sub_order) -> None:
    """A sub-order reached the shopper: the courier collected its cash (if COD), its total now
    belongs to its producer, less the platform's commission and the tax withheld per line."""
    payment = Payment.objects.filter(order_id=sub_order.order_id).first()
    if payment is not None and payment.method == PaymentMethod.COD:
        receive(
            payment,
            sub_order.total,
            f"cod:{sub_order.pk}",
            {"sub_order": sub_order.pk},
            producer_id=sub_order.producer_id,
        )
    ledger.transfer(
        EntryKind.SALE_DELIVERED,
        f"sale:{sub_order.pk}",
        debit=Account.SHOPPER_FUNDS,
        credit=Account.PRODUCER_PAYABLE,
        amount=sub_order.total,
        order_id=sub_order.order_id,
        producer_id=sub_order.producer_id,
    )
    charges.post_for_delivery(sub_order)


# --- VietQR statement reconciliation ----------------------------------------------------------


@dataclass(frozen=True)
class ReconcileResult:
    line: int
    # paid | duplicate | amount_mismatch | unknown_order | not_vietqr | ambiguous | invalid_amount
    outcome: str
    message: str


def reconcile_vietqr(lines: list[StatementLine]) -> list[ReconcileResult]:
    """Match statement lines to VietQR orders by bill number (order number) and amount."""
    from marketplace.checkout.models import Order  # here: checkout imports this module

    results = []
    for item in lines:
        if item.error:
            results.append(ReconcileResult(item.line, "invalid_amount", item.error))
            continue
        reference = item.reference.upper().replace(" ", "")
        orders = list(
            Order.objects.filter(number__in=_candidate_numbers(reference))
            .select_related("payment")
            .order_by("number")
        )
        if len(orders) > 1:
            # One transfer cannot pay two orders: a person decides, nothing is applied.
            numbers = ", ".join(o.number for o in orders)
            results.append(
                ReconcileResult(
                    item.line,
                    "ambiguous",
                    f"“{item.reference}” nêu {len(orders)} đơn ({numbers}): chưa ghi nhận, "
                    "cần kiểm tra",
                )
            )
            continue
        order = orders[0] if orders else None
        if order is None:
            results.append(
                ReconcileResult(
                    item.line, "unknown_order", f"không tìm thấy số đơn trong “{item.reference}”"
                )
            )
            continue
        payment = order.payment
        if payment.method != PaymentMethod.VIETQR:
            results.append(
                ReconcileResult(item.line, "not_vietqr", f"{order.number} không thanh toán VietQR")
            )
            continue
        key = f"vietqr:{item.transaction_id}"
        outstanding = payment.amount - payment.amount_received
        if PaymentEvent.objects.filter(idempotency_key=key).exists():
            outcome, message = "duplicate", f"{order.number}: giao dịch đã ghi trước đó"
        elif item.amount != outstanding:
            record_event(
                payment,
                PaymentEventKind.MISMATCH,
                f"vietqr-mismatch:{item.transaction_id}",
                item.amount,
                {"reference": item.reference},
            )
            outcome = "amount_mismatch"
            message = f"{order.number}: nhận {item.amount} ₫, cần {outstanding} ₫"
        else:
            receive(payment, item.amount, key, {"reference": item.reference})
            outcome, message = "paid", f"{order.number}: đã nhận {item.amount} ₫"
        results.append(ReconcileResult(item.line, outcome, message))
    return results


def _candidate_numbers(reference: str) -> list[str]:
    """Every 8-character run starting with DH: banks mangle spacing around the bill number."""
    return [reference[i : i + 8] for i in range(len(reference) - 7) if reference[i : i + 2] == "DH"]


# --- Stripe webhooks -------------------------------------------------------------------------


REFUND_EVENTS = ("refund.created", "refund.updated", "refund.failed", "charge.refund.updated")


def handle_stripe_event(event) -> str:
    """Apply a verified Stripe event once; returns what happened (for the log and tests)."""
    if event.type in REFUND_EVENTS:
        return refunds.handle_stripe_refund_event(event.data.object)
    if event.type not in ("payment_intent.succeeded", "payment_intent.payment_failed"):
        return "ignored"
    intent = event.data.object
    payment = Payment.objects.filter(stripe_payment_intent=intent.id).first()
    if payment is None:
        return "unknown_payment_intent"
    key = f"stripe:{event.id}"
    if event.type == "payment_intent.succeeded":
        amount = int(intent.amount_received or intent.amount)
        if amount != payment.amount and not payment.events.filter(idempotency_key=key).exists():
            # A card payment settles the whole order at once; anything else needs a person.
            record_event(payment, PaymentEventKind.MISMATCH, key, amount, {"intent": intent.id})
            return "amount_mismatch"
        return "paid" if receive(payment, amount, key, {"intent": intent.id}) else "duplicate"
    with transaction.atomic():
        if not record_event(payment, PaymentEventKind.FAILED, key, 0, {"intent": intent.id}):
            return "duplicate"
        if payment.status == PaymentStatus.PENDING:
            payment.status = PaymentStatus.FAILED
            payment.save(update_fields=["status", "updated_at"])
    return "failed"
