"""Proof that the ledger balances: each check returns the places where it does not.

A database cannot compare sums across rows in a CHECK constraint, so on PostgreSQL a deferred
trigger (migration 0001) refuses an unbalanced entry at commit, and these checks prove the whole
ledger on any database (`python manage.py check_ledger`).
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q, Sum

from marketplace.settlements.models import Account, Entry, Posting


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
