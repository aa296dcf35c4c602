"""Property: whatever shoppers, producers, couriers and staff do, in any order, the ledger
balances and records exactly what was paid, delivered, returned and refunded (`check_ledger`
finds nothing)."""

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from marketplace.checkout.ledger_check import all_problems
from marketplace.checkout.models import OrderStatus
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, cancel_line, set_sub_order_status
from marketplace.checkout.services.returns import request_return, respond
from marketplace.errors import DomainError
from marketplace.payments import payouts, refunds
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod, Refund, RefundStatus
from marketplace.settlements import charges, statements
from marketplace.settlements.models import LineCharge, Posting, Statement
from producers.models import Producer, ProducerKind
from tests.marketplace.checkout.buying import checkout_for, three_producers
from tests.marketplace.payments.refunding import staff_user

pytestmark = pytest.mark.django_db

SHIP = Fulfilment(carrier="GHN", tracking_number="GHN-0001", cancel_reason="Khách đổi ý")
NEXT = {
    OrderStatus.NEW: OrderStatus.CONFIRMED,
    OrderStatus.CONFIRMED: OrderStatus.SHIPPED,
    OrderStatus.SHIPPED: OrderStatus.DELIVERED,
}

# Stripe posts through the same `receive` (tests/marketplace/payments/test_stripe.py, on
# stripe-mock); here no network is needed.
ON_THE_MACHINE = [PaymentMethod.COD, PaymentMethod.VIETQR]
orders_placed = st.lists(
    st.tuples(st.sampled_from(ON_THE_MACHINE), st.integers(1, 3)), min_size=1, max_size=3
)
KINDS = [
    "pay",
    "pay_half",
    "advance",
    "deliver",
    "cancel",
    "report_again",
    "cancel_line",
    "return",
    "refund_paid",
    "return_one",
    "settle",
]
steps = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(0, 2), st.integers(0, 2)), min_size=3, max_size=10
)


def _apply(step, orders, staff):
    kind, i, j = step
    order = orders[i % len(orders)]
    order.payment.refresh_from_db()
    payment = order.payment
    subs = list(order.sub_orders.order_by("pk"))
    sub = subs[j % len(subs)]
    outstanding = payment.amount - payment.amount_received
    if kind in ("pay", "pay_half") and payment.method != PaymentMethod.COD and outstanding:
        amount = outstanding if kind == "pay" else max(1, outstanding // 2)
        payments.receive(payment, amount, f"bank:{order.number}:{payment.amount_received}")
    elif kind in ("advance", "deliver"):
        while sub.status in NEXT:
            sub = set_sub_order_status(sub.pk, NEXT[sub.status], SHIP)
            if kind == "advance":
                break
    elif kind == "cancel":
        set_sub_order_status(sub.pk, OrderStatus.CANCELLED, SHIP)
    elif kind == "report_again" and sub.status == OrderStatus.DELIVERED:
        payments.delivered(sub)
    elif kind == "return_one" and sub.status == OrderStatus.DELIVERED:
        # The commission and tax of one returned unit go back (the refunds side posts the
        # sale's own reversal; here only withhold's part runs).
        line = sub.lines.order_by("pk").first()
        returned = LineCharge.objects.filter(line=line, quantity__lt=0).count()
        charges.reverse_for_return(sub, {line.pk: 1}, f"return:{sub.pk}:{returned}")
    elif kind == "cancel_line":
        line = sub.lines.filter(cancelled_at=None).order_by("pk").first()
        if line is not None:
            cancel_line(line.pk, SHIP)
    elif kind == "return":  # asked, then accepted by staff acting for the producer
        item = request_return(order, sub.pk, "Hàng lỗi")
        respond(staff, item.pk, accept=True)
    elif kind == "settle":
        _settle(staff)
    elif kind == "refund_paid":
        refunds.set_refund_account(payment, "970436", "0071001234567", "Nguyen Thi Lan")
        for refund in Refund.objects.filter(payment=payment, status=RefundStatus.PENDING):
            refunds.mark_paid(staff, refund.pk, f"FT{refund.pk:08d}")


def _settle(staff) -> None:
    """Issue this period's statements early (everything happens today) and pay them all."""
    from django.utils import timezone

    for statement in statements.issue_period(statements.period_of(timezone.localdate())):
        payable = Posting.objects.filter(
            entry__key__in=[
                k for e in statement.events.all() for k in statements.entry_keys(e.key)
            ],
            account="producer_payable",
        ).aggregate(s=Sum("amount"))["s"]
        assert statement.net == -(payable or 0)
    unpaid = Statement.objects.filter(payout__isnull=True, net__gt=0)
    for statement in unpaid.select_related("producer"):
        payouts.set_payout_account(
            staff, statement.producer, "970436", "0071001234567", "Nguyen Van An"
        )
    if unpaid.exists():
        batch = payouts.create_batch(staff, list(unpaid.values_list("pk", flat=True)))
        payouts.mark_paid(staff, batch.pk, f"FT-SETTLE-{batch.pk}")


def _credited(account: str) -> int:
    return -(Posting.objects.filter(account=account).aggregate(s=Sum("amount"))["s"] or 0)


@hypothesis_settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(placed=orders_placed, steps=steps)
def test_any_sequence_leaves_a_balanced_ledger(placed, steps):
    products = three_producers()
    with transaction.atomic():
        # One seller is withheld (household business), the others not: both paths run.
        Producer.objects.filter(pk=products[0].producer_id).update(
            kind=ProducerKind.CO_SO
        )  # each example starts from the sample catalog again
        staff = staff_user()
        orders = [
            complete_checkout(checkout_for(products[:producers], quantity=2).pk, method)
            for method, producers in placed
        ]
        for step in steps:
            try:
                with transaction.atomic():
                    _apply(step, orders, staff)
            except DomainError:
                pass  # refused (unpaid, wrong state): nothing may have been posted
            assert all_problems() == [], step
        assert (Posting.objects.aggregate(s=Sum("amount"))["s"] or 0) == 0
        # The per-line breakdown and the ledger agree on every kind of charge.
        kept = LineCharge.objects.aggregate(c=Sum("commission"), t=Sum("vat") + Sum("pit"))
        assert _credited("platform_commission") == (kept["c"] or 0)
        assert _credited("vat_withheld") + _credited("pit_withheld") == (kept["t"] or 0)
        transaction.set_rollback(True)
