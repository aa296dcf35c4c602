"""Proof that the ledger balances: each check returns the places where it does not.

A database cannot compare sums across rows in a CHECK constraint, so on PostgreSQL a deferred
trigger (migration 0001) refuses an unbalanced entry at commit, and these checks prove the whole
ledger on any database (`python manage.py check_ledger`).
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum

from marketplace.settlements.models import Account, Entry, LineCharge, Posting


@dataclass(frozen=True)
class Problem:
    where: str  # what a person looks up: an entry key, an order number, a producer code
    what: str


def ledger_problems() -> list[Problem]:
    return [
        *_unbalanced_entries(),
        *_mistagged_postings(),
        *_unbalanced("order__number", "đơn"),
        *_unbalanced("producer__code", "nhà sản xuất"),
        *_overdrawn_shopper_funds(),
        *_charges_differ(),
    ]


def _unbalanced_entries():
    for entry in (
        Entry.objects.annotate(total=Sum("postings__amount"), legs=Count("postings"))
        .filter(Q(legs__lt=2) | ~Q(total=0) | Q(total=None))
        .order_by("id")
    ):
        yield Problem(
            entry.key,
            f"bút toán lệch {entry.total or 0} đồng ({entry.legs} dòng)",
        )


def _mistagged_postings():
    wrong = _differs("order_id", "entry__order_id") | _differs("producer_id", "entry__producer_id")
    for posting in Posting.objects.filter(wrong).select_related("entry").order_by("id"):
        yield Problem(posting.entry.key, f"dòng {posting.pk} ghi sai đơn hoặc nhà sản xuất")


def _differs(field: str, other: str) -> Q:
    """`field` and `other` are not the same value, a missing one counting as a value."""
    has, other_has = Q(**{f"{field}__isnull": False}), Q(**{f"{other}__isnull": False})
    return (has & ~other_has) | (~has & other_has) | (has & other_has & ~Q(**{field: F(other)}))


def _unbalanced(key: str, label: str):
    rows = (
        Posting.objects.exclude(**{key: None})
        .values(key)
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .order_by(key)
    )
    for row in rows:
        yield Problem(row[key], f"các bút toán của {label} này lệch {row['total']} đồng")


def _overdrawn_shopper_funds():
    """More released to producers (or refunded) than the shopper paid for the order."""
    rows = (
        Posting.objects.filter(account=Account.SHOPPER_FUNDS)
        .values("order__number")
        .annotate(balance=Sum("amount"))
        .filter(balance__gt=0)
        .order_by("order__number")
    )
    for row in rows:
        yield Problem(
            row["order__number"],
            f"đã chuyển cho nhà sản xuất {row['balance']} đồng nhiều hơn số khách đã trả",
        )


# What each per-line amount is credited to (LineCharge field → account).
CHARGED_TO = {
    "commission": Account.COMMISSION_REVENUE,
    "vat": Account.VAT_WITHHELD,
    "pit": Account.PIT_WITHHELD,
}


def _charges_differ():
    """The per-line breakdown statements and the tax list show must be what the ledger holds,
    for every order and producer (one sub-order each) and every kind of charge."""
    lines = {
        (row["sub_order__order__number"], row["producer_id"]): row
        for row in LineCharge.objects.values("sub_order__order__number", "producer_id")
        .annotate(**{field: Sum(field) for field in CHARGED_TO})
        .order_by()
    }
    posted = {}
    for row in (
        Posting.objects.filter(account__in=CHARGED_TO.values())
        .values("order__number", "producer_id", "account")
        .annotate(total=Sum("amount"))
        .order_by()
    ):
        posted[(row["order__number"], row["producer_id"], row["account"])] = -row["total"]
    places = set(lines) | {(number, producer) for number, producer, _account in posted}
    for number, producer in sorted(places, key=lambda p: (p[0] or "", p[1] or 0)):
        for field, account in CHARGED_TO.items():
            by_line = (lines.get((number, producer)) or {}).get(field) or 0
            in_ledger = posted.get((number, producer, account), 0)
            if by_line != in_ledger:
                yield Problem(
                    number,
                    f"nhà sản xuất #{producer}: {field} theo dòng hàng {by_line} đồng nhưng sổ "
                    f"cái ghi {in_ledger} đồng",
                )
