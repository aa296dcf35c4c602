"""Which rate applies to a sale, and how a rate becomes đồng.

Rounding rule (one for commission, VAT and PIT): each amount is computed per order line as
`base × percent / 100` and rounded half up to a whole đồng on that line; a sub-order's, a
statement's or a month's figure is the sum of its lines' rounded amounts, never a rounding of a
sum. So every figure a seller sees adds up from the lines printed above it.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from marketplace.settlements.charge_models import CommissionRate, SaleType, WithholdingRate

ZERO = Decimal(0)
# OCOP group 6 (Decision 148/QĐ-TTg) is tourism services; every other group sells goods.
SERVICE_GROUPS = {6}


def percent_of(amount: int, percent: Decimal) -> int:
    """`percent` % of `amount` đồng, rounded half up (away from zero) to a whole đồng."""
    exact = Decimal(amount) * Decimal(percent) / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def in_force(queryset, on: datetime.date):
    """The rows of `queryset` whose period includes the day `on`."""
    return queryset.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def sale_type_of(group_number: int | None) -> str:
    return SaleType.SERVICES if group_number in SERVICE_GROUPS else SaleType.GOODS


class RateBook:
    """The rates in force on one day for one producer, read once for all its lines."""

    def __init__(self, producer, on: datetime.date):
        self.on = on
        own = in_force(CommissionRate.objects.filter(producer_id=producer.pk), on).first()
        self.own_commission = own.percent if own else None
        self.group_commission = dict(
            in_force(CommissionRate.objects.filter(producer=None), on).values_list(
                "group_id", "percent"
            )
        )
        self.withholding = {
            sale_type: (vat, pit)
            for sale_type, vat, pit in in_force(
                WithholdingRate.objects.filter(seller_kind=producer.kind), on
            ).values_list("sale_type", "vat_percent", "pit_percent")
        }

    def commission(self, group_number: int | None) -> Decimal:
        """The producer's own rate if one is in force, else its OCOP group's, else none."""
        if self.own_commission is not None:
            return self.own_commission
        return self.group_commission.get(group_number, ZERO)

    def tax(self, sale_type: str) -> tuple[Decimal, Decimal]:
        """(VAT %, PIT %) withheld; (0, 0) for a seller kind the table does not withhold."""
        return self.withholding.get(sale_type, (ZERO, ZERO))


def is_withheld(seller_kind: str, on: datetime.date) -> bool:
    """Whether the platform withholds tax for this kind of seller on that day."""
    rows = in_force(WithholdingRate.objects.filter(seller_kind=seller_kind), on)
    return rows.filter(Q(vat_percent__gt=0) | Q(pit_percent__gt=0)).exists()
