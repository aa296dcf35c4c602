"""Commission and tax withheld, posted per order line when a sub-order is delivered and
reversed when the shopper returns goods.

`post_for_delivery(sub_order)` is called by payments.services.delivered, inside the delivery's
transaction; `reverse_for_return(sub_order, quantities, key)` by the return-accepted path;
`charges_for(sub_order_ids)` is the per-line breakdown statements show. Amounts and rounding:
marketplace.settlements.rates. Shipping is not commissioned or taxed here: the fee pays the
carrier, it is not the seller's sale of goods.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import DomainError
from marketplace.settlements import ledger
from marketplace.settlements.charge_models import LineCharge
from marketplace.settlements.errors import SettlementError
from marketplace.settlements.ledger import Leg
from marketplace.settlements.models import Account, EntryKind
from marketplace.settlements.rates import RateBook, percent_of, sale_type_of


def delivery_key(sub_order) -> str:
    return f"sale:{sub_order.pk}"


def _local_day(moment) -> datetime.date:
    return timezone.localdate(moment or timezone.now())


def post_for_delivery(sub_order) -> bool:
    """Compute each line's commission and tax at the rates in force on the delivery day (Vietnam
    time), store them and post COMMISSION and TAX_WITHHELD. False when already posted."""
    key = delivery_key(sub_order)
    if LineCharge.objects.filter(key=key, sub_order_id=sub_order.pk).exists():
        return False
    producer = sub_order.producer
    book = RateBook(producer, _local_day(sub_order.delivered_at))
    rows = []
    # A line cancelled before shipping was not sold.
    for line in sub_order.lines.filter(cancelled_at=None).select_related("product__product_set"):
        group = line.product.product_set.group_id if line.product else None
        sale_type = sale_type_of(group)
        commission, (vat, pit) = book.commission(group), book.tax(sale_type)
        rows.append(
            LineCharge(
                key=key,
                line=line,
                sub_order_id=sub_order.pk,
                producer_id=producer.pk,
                on=book.on,
                quantity=line.quantity,
                base=line.line_total,
                commission_percent=commission,
                commission=percent_of(line.line_total, commission),
                seller_kind=producer.kind,
                sale_type=sale_type,
                vat_percent=vat,
                vat=percent_of(line.line_total, vat),
                pit_percent=pit,
                pit=percent_of(line.line_total, pit),
            )
        )
    with transaction.atomic():
        LineCharge.objects.bulk_create(rows)
        _post(rows, sub_order, f"commission:{sub_order.pk}", f"tax:{sub_order.pk}")
    return True


@transaction.atomic
def reverse_for_return(sub_order, quantities: dict[int, int], key: str, on=None) -> bool:
    """Give back the commission and tax of returned units: `quantities` maps order line ids to
    the units returned now; `key` names the return ("return:<id>"), so its entries are
    `commission-return:<id>` and `tax-return:<id>`. False when this return was reversed before.

    The delivery's own rates and amounts are reversed (never today's rates): the units returned
    so far carry `round(amount × units / quantity)`, so returning a line in several steps gives
    back exactly what its delivery posted.
    """
    if LineCharge.objects.filter(key=key).exists():
        return False
    sold = {
        c.line_id: c for c in LineCharge.objects.filter(key=delivery_key(sub_order), quantity__gt=0)
    }
    returned_before = {}
    for charge in LineCharge.objects.filter(sub_order_id=sub_order.pk, quantity__lt=0):
        returned_before[charge.line_id] = returned_before.get(charge.line_id, 0) - charge.quantity
    rows = []
    for line_id, units in sorted(quantities.items()):
        charge = sold.get(line_id)
        before = returned_before.get(line_id, 0)
        if charge is None or units <= 0 or before + units > charge.quantity:
            raise DomainError(
                SettlementError.RETURN_EXCEEDS_SALE,
                _(
                    "Không trả được %(units)s đơn vị của dòng %(line)s: đã giao %(sold)s, "
                    "đã trả %(before)s."
                )
                % {
                    "units": units,
                    "line": line_id,
                    "sold": charge.quantity if charge else 0,
                    "before": before,
                },
                "quantities",
            )

        rows.append(_returned(charge, before, units, key, on or timezone.localdate()))
    if not rows:
        return False
    LineCharge.objects.bulk_create(rows)
    _post(rows, sub_order, f"commission-{key}", f"tax-{key}")
    return True


def _returned(sold: LineCharge, before: int, units: int, key: str, on) -> LineCharge:
    """The negative charge of `units` more returned units of a line `before` were returned."""

    def share(amount: int) -> int:
        after = before + units
        return _part(amount, after, sold.quantity) - _part(amount, before, sold.quantity)

    return LineCharge(
        key=key,
        line_id=sold.line_id,
        sub_order_id=sold.sub_order_id,
        producer_id=sold.producer_id,
        on=on,
        quantity=-units,
        base=-share(sold.base),
        commission_percent=sold.commission_percent,
        commission=-share(sold.commission),
        seller_kind=sold.seller_kind,
        sale_type=sold.sale_type,
        vat_percent=sold.vat_percent,
        vat=-share(sold.vat),
        pit_percent=sold.pit_percent,
        pit=-share(sold.pit),
    )


def _part(amount: int, units: int, of: int) -> int:
    """`amount × units / of`, half up, in integers (amounts here are never negative)."""
    return (2 * amount * units + of) // (2 * of)


def _post(rows, sub_order, commission_key: str, tax_key: str) -> None:
    """Signed legs: a delivery's positive amounts debit the producer; a return's negative
    ones are the same legs swapped."""
    tags = {"order_id": sub_order.order_id, "producer_id": sub_order.producer_id}
    commission = sum(r.commission for r in rows)
    if commission:
        ledger.post(
            EntryKind.COMMISSION,
            commission_key,
            [
                Leg(Account.PRODUCER_PAYABLE, commission),
                Leg(Account.COMMISSION_REVENUE, -commission),
            ],
            **tags,
        )
    vat, pit = sum(r.vat for r in rows), sum(r.pit for r in rows)
    legs = [
        Leg(Account.PRODUCER_PAYABLE, vat + pit),
        Leg(Account.VAT_WITHHELD, -vat),
        Leg(Account.PIT_WITHHELD, -pit),
    ]
    if vat or pit:
        ledger.post(EntryKind.TAX_WITHHELD, tax_key, [leg for leg in legs if leg.amount], **tags)


def charges_for(sub_order_ids):
    """Every line's charges (deliveries and returns) of these sub-orders, in order."""
    return (
        LineCharge.objects.filter(sub_order_id__in=list(sub_order_ids))
        .select_related("line")
        .order_by("sub_order_id", "line_id", "id")
    )
