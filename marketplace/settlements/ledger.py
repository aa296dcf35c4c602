"""Writing to the ledger: one entry per money movement, balanced, written once."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from marketplace.errors import DomainError
from marketplace.settlements.errors import SettlementError
from marketplace.settlements.models import Entry, Posting


@dataclass(frozen=True)
class Leg:
    account: str
    amount: int  # đồng; debit > 0, credit < 0


def post(kind: str, key: str, legs: list[Leg], *, order_id: int | None, producer_id=None) -> bool:
    """Write one balanced entry; False when `key` was posted before (nothing is written then)."""
    if any(leg.amount == 0 for leg in legs) or len(legs) < 2:
        raise DomainError(
            SettlementError.EMPTY_POSTING,
            _("Bút toán %(key)s cần ít nhất hai dòng khác 0.") % {"key": key},
        )
    if sum(leg.amount for leg in legs) != 0:
        raise DomainError(
            SettlementError.UNBALANCED_ENTRY,
            _("Bút toán %(key)s lệch %(diff)s đồng.")
            % {"key": key, "diff": sum(leg.amount for leg in legs)},
        )
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                kind=kind, key=key, order_id=order_id, producer_id=producer_id
            )
            Posting.objects.bulk_create(
                Posting(
                    entry=entry,
                    account=leg.account,
                    amount=leg.amount,
                    order_id=order_id,
                    producer_id=producer_id,
                )
                for leg in legs
            )
    except IntegrityError:
        if Entry.objects.filter(key=key).exists():
            return False
        raise
    return True


def transfer(kind: str, key: str, debit: str, credit: str, amount: int, **tags) -> bool:
    """The common two-leg entry: `amount` moves from `credit` to `debit`."""
    return post(kind, key, [Leg(debit, amount), Leg(credit, -amount)], **tags)
