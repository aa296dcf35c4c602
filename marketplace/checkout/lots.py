"""Which lots an order's units came from: chosen by the producer when shipping.

Units left in a lot = units packed − units already shipped from it. By default each line is
taken from the newest lots of its product that still have units left. A lot of another
product or another producer is refused with a message the producer can act on.
"""

from collections import defaultdict

from django.db.models import Q, Sum
from django.utils.translation import gettext

from marketplace.checkout.errors import CheckoutError
from marketplace.checkout.models import OrderLine, OrderLineLot
from marketplace.errors import DomainError, ValidationFailed
from traceability.models import Batch


def shipped_units(batch_ids) -> dict[int, int]:
    rows = (
        OrderLineLot.objects.filter(batch_id__in=list(batch_ids))
        .values("batch_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["batch_id"]: row["total"] for row in rows}


def lots_by_product(product_ids) -> dict[int, list[Batch]]:
    """Each product's lots, newest first, with `units_left` set: two queries for any number."""
    batches = list(
        Batch.objects.filter(product_id__in=list(product_ids)).order_by(
            "product_id", "-packed_on", "-created_at", "-id"
        )
    )
    shipped = shipped_units(b.pk for b in batches)
    grouped: dict[int, list[Batch]] = defaultdict(list)
    for batch in batches:
        batch.units_left = max(0, batch.units - shipped.get(batch.pk, 0))
        grouped[batch.product_id].append(batch)
    return grouped


def default_lots(batches: list[Batch], quantity: int) -> list[Batch]:
    """The newest lots with units left, as many as it takes to cover `quantity`."""
    chosen, covered = [], 0
    for batch in batches:
        if covered >= quantity:
            break
        if batch.units_left > 0:
            chosen.append(batch)
            covered += batch.units_left
    return chosen


def _newest_first(batch: Batch):
    return (-batch.packed_on.toordinal(), -batch.created_at.timestamp(), -batch.pk)


def _line_label(line: OrderLine) -> str:
    return f"“{line.name}”"


def record_lots(sub_order, chosen: dict[int, list[int]] | None) -> list[OrderLineLot]:
    """Record the lots of every line of a sub-order being shipped (inside its transaction).

    `chosen` maps an order line's id to the ids of the lots picked for it; a line left out
    takes the default. Lines of products without any lot (untraced goods) record nothing.
    """
    chosen = chosen or {}
    lines = [line for line in sub_order.lines.all() if line.cancelled_at is None]
    line_ids = {line.pk for line in lines}
    errors: list[DomainError] = []
    for line_id in chosen:
        if line_id not in line_ids:
            errors.append(
                DomainError(
                    CheckoutError.NOT_FOUND, gettext("Dòng hàng không thuộc đơn này."), "lots"
                )
            )
    picked_ids = {pk for ids in chosen.values() for pk in ids}
    product_ids = {line.product_id for line in lines if line.product_id}
    # Lock the lots in pk order so two shipments never take the same last units.
    locked = {
        b.pk: b
        for b in list(
            Batch.objects.select_for_update(of=("self",))
            .select_related("product__producer")
            .filter(Q(pk__in=picked_ids) | Q(product_id__in=product_ids))
            .order_by("pk")
        )
    }
    shipped = shipped_units(locked)
    available: dict[int, list[Batch]] = defaultdict(list)
    for batch in sorted(locked.values(), key=_newest_first):
        batch.units_left = max(0, batch.units - shipped.get(batch.pk, 0))
        available[batch.product_id].append(batch)
    rows: list[OrderLineLot] = []
    for line in lines:
        field = f"lots[{line.pk}]"
        if line.pk in chosen:
            batches = []
            for pk in chosen[line.pk]:
                batch = locked.get(pk)
                if batch is None:
                    errors.append(
                        DomainError(
                            CheckoutError.NOT_FOUND, gettext("Không tìm thấy lô đã chọn."), field
                        )
                    )
                elif batch.product.producer_id != sub_order.producer_id:
                    errors.append(
                        DomainError(
                            CheckoutError.LOT_OF_OTHER_PRODUCER,
                            gettext(
                                "Lô %(lot)s không phải lô của cơ sở bạn; "
                                "hãy chọn lô của %(product)s."
                            )
                            % {"lot": batch.lot, "product": _line_label(line)},
                            field,
                        )
                    )
                elif batch.product_id != line.product_id:
                    errors.append(
                        DomainError(
                            CheckoutError.LOT_OF_OTHER_PRODUCT,
                            gettext("Lô %(lot)s là lô của “%(name)s”, không phải %(product)s.")
                            % {
                                "lot": batch.lot,
                                "name": batch.product.name,
                                "product": _line_label(line),
                            },
                            field,
                        )
                    )
                else:
                    batches.append(batch)
        else:
            batches = default_lots(available.get(line.product_id, []), line.quantity)
            if not batches and available.get(line.product_id):
                errors.append(
                    DomainError(
                        CheckoutError.LOT_EMPTY,
                        gettext("Các lô của %(product)s đã gửi hết; hãy tạo lô mới.")
                        % {"product": _line_label(line)},
                        field,
                    )
                )
        remaining = line.quantity
        for batch in batches:
            take = min(remaining, batch.units_left)
            if take > 0:
                rows.append(OrderLineLot(line=line, batch=batch, quantity=take))
                remaining -= take
        if batches and remaining > 0:
            codes = ", ".join(b.lot for b in batches)
            errors.append(
                DomainError(
                    CheckoutError.LOT_SHORT,
                    gettext(
                        "Lô %(codes)s chỉ còn %(available)s đơn vị, không đủ %(quantity)s của "
                        "%(product)s; hãy chọn thêm lô."
                    )
                    % {
                        "codes": codes,
                        "available": line.quantity - remaining,
                        "quantity": line.quantity,
                        "product": _line_label(line),
                    },
                    field,
                )
            )
    if errors:
        raise ValidationFailed(errors)
    OrderLineLot.objects.filter(line__in=lines).delete()
    return OrderLineLot.objects.bulk_create(rows)
