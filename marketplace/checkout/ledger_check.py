"""The ledger against the orders it records: what was paid, delivered, returned and refunded
must each appear in it exactly once, with the same amounts."""

from collections import defaultdict

from django.db.models import Sum

from marketplace.checkout.models import Order, OrderStatus, Return, ReturnStatus, SubOrder
from marketplace.payments.models import Payment, Refund, RefundChannel, RefundStatus
from marketplace.settlements.checks import Problem, ledger_problems
from marketplace.settlements.models import Account, EntryKind, Posting

RECEIPTS = (EntryKind.PAYMENT_RECEIVED, EntryKind.COD_COLLECTED)


def all_problems() -> list[Problem]:
    return [*ledger_problems(), *_receipts_differ(), *_sales_differ(), *_refunds_differ()]


def _numbers(order_ids) -> dict[int, str]:
    return dict(Order.objects.filter(pk__in=order_ids).values_list("pk", "number"))


def _receipts_differ():
    received = dict(
        Payment.objects.filter(amount_received__gt=0).values_list("order_id", "amount_received")
    )
    posted = dict(
        Posting.objects.filter(entry__kind__in=RECEIPTS, amount__gt=0)
        .values("order_id")
        .annotate(total=Sum("amount"))
        .values_list("order_id", "total")
    )
    differ = {o for o in received.keys() | posted.keys() if received.get(o, 0) != posted.get(o, 0)}
    numbers = _numbers(differ)
    for order_id in sorted(differ, key=numbers.get):
        yield Problem(
            numbers[order_id],
            f"đã nhận {received.get(order_id, 0)} đồng nhưng sổ cái ghi "
            f"{posted.get(order_id, 0)} đồng",
        )


def _sales_differ():
    delivered = defaultdict(int)
    for order_id, producer_id, total in SubOrder.objects.filter(
        status=OrderStatus.DELIVERED
    ).values_list("order_id", "producer_id", "total"):
        delivered[order_id, producer_id] += total
    posted = {
        (row["order_id"], row["producer_id"]): -row["total"]
        for row in Posting.objects.filter(
            entry__kind=EntryKind.SALE_DELIVERED, account=Account.PRODUCER_PAYABLE
        )
        .values("order_id", "producer_id")
        .annotate(total=Sum("amount"))
    }
    differ = {
        k for k in delivered.keys() | posted.keys() if delivered.get(k, 0) != posted.get(k, 0)
    }
    numbers = _numbers({order_id for order_id, _ in differ})
    for key in sorted(differ, key=lambda k: (numbers[k[0]], k[1])):
        yield Problem(
            numbers[key[0]],
            f"nhà sản xuất #{key[1]}: đã giao {delivered.get(key, 0)} đồng nhưng sổ cái ghi "
            f"{posted.get(key, 0)} đồng",
        )


def _refunds_differ():
    """Each refund posted once as what the platform owes or sent (REFUND), each bank refund
    sent posted once as paid (REFUND_PAID), each accepted return reversed once."""
    expected = {}
    for pk, channel, status, amount in Refund.objects.values_list(
        "pk", "channel", "status", "amount"
    ):
        if channel == RefundChannel.BANK or status == RefundStatus.SUCCEEDED:
            expected[f"refund:{pk}"] = amount
        if channel == RefundChannel.BANK and status == RefundStatus.SUCCEEDED:
            expected[f"refund-paid:{pk}"] = amount
    for pk, amount in Return.objects.filter(status=ReturnStatus.ACCEPTED).values_list(
        "pk", "amount"
    ):
        expected[f"sale-returned:{pk}"] = amount
    kinds = (EntryKind.REFUND, EntryKind.REFUND_PAID, EntryKind.SALE_RETURNED)
    posted = dict(
        Posting.objects.filter(entry__kind__in=kinds, amount__gt=0).values_list(
            "entry__key", "amount"
        )
    )
    for key in sorted(expected.keys() | posted.keys()):
        if expected.get(key, 0) != posted.get(key, 0):
            yield Problem(
                key, f"cần ghi {expected.get(key, 0)} đồng nhưng sổ cái ghi {posted.get(key, 0)}"
            )
