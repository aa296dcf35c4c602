"""A member's side of orders and lots: scoping to their producers, then the owning services.

Sub-orders go through marketplace.checkout.services (status moves, restock on cancel, cash on
delivery); lots and their events through traceability.lots and traceability.events. Nothing here
re-states a rule.
"""

import datetime
import io

from django.utils.translation import gettext

from marketplace.catalog import images
from marketplace.checkout.models import OrderLine, OrderStatus, SubOrder
from marketplace.checkout.services.orders import Fulfilment, cancel_line, set_sub_order_status
from marketplace.errors import DomainError, ValidationFailed
from marketplace.text import nfc, nfc_lines
from producers.errors import ProducerError
from producers.selectors import get_lot
from traceability.events import EventData, record_member_event
from traceability.evidence import Evidence
from traceability.lots import BatchData, create_member_batch
from traceability.models import Batch
from traceability.selectors import gtin14

# The buttons a member taps, and the status each one moves the sub-order to.
ORDER_ACTIONS = {
    "confirm": OrderStatus.CONFIRMED,
    "ship": OrderStatus.SHIPPED,
    "deliver": OrderStatus.DELIVERED,
    "cancel": OrderStatus.CANCELLED,
}

# The few steps a producer records by hand, in the order they usually happen.
EVENT_STEPS = [
    ("commissioning", "ADD"),
    ("urn:ocop:bizstep:processing", "OBSERVE"),
    ("urn:ocop:bizstep:fermenting", "OBSERVE"),
    ("urn:ocop:bizstep:drying", "OBSERVE"),
    ("inspecting", "OBSERVE"),
    ("packing", "OBSERVE"),
    ("storing", "OBSERVE"),
    ("shipping", "OBSERVE"),
]


def advance_sub_order(
    user,
    pk: int,
    action: str,
    *,
    carrier: str = "",
    tracking_number: str = "",
    reason: str = "",
    lots: dict[int, list[int]] | None = None,
    lot_codes: dict[str, list[str]] | None = None,
) -> SubOrder:
    """Ship needs carrier + tracking number (and takes the lots), cancel a reason:
    checkout.services checks them.

    The lots come by id from the portal's form (`lots`: line id → lot ids) or, from the API,
    by what a producer's own system knows (`lot_codes`: SKU → lot codes).
    """
    sub = SubOrder.objects.for_member(user).filter(pk=pk).only("pk").first()
    if sub is None:
        raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy đơn hàng."), "order")
    if action not in ORDER_ACTIONS:
        raise DomainError(ProducerError.INVALID_ACTION, gettext("Thao tác không hợp lệ."), "action")
    if lot_codes:
        lots = {**(lots or {}), **_lots_by_code(sub, lot_codes)}
    details = Fulfilment(
        carrier=carrier, tracking_number=tracking_number, cancel_reason=reason, lots=lots
    )
    return set_sub_order_status(sub.pk, ORDER_ACTIONS[action], details)


def cancel_order_line(user, line_id: int, reason: str, sub_order_id: int | None = None) -> SubOrder:
    """Cancel one line of the member's sub-order (checkout.services refunds what was paid);
    with `sub_order_id` (the portal's URL) the line must be of that sub-order too."""
    line = member_line(user, line_id, sub_order_id)
    return cancel_line(line.pk, Fulfilment(cancel_reason=reason))


def member_line(user, line_id: int, sub_order_id: int | None = None) -> OrderLine:
    """A line of one of the member's sub-orders (of `sub_order_id`, when given), or not found."""
    lines = OrderLine.objects.filter(sub_order__in=SubOrder.objects.for_member(user), pk=line_id)
    if sub_order_id is not None:
        lines = lines.filter(sub_order_id=sub_order_id)
    line = lines.select_related("sub_order__order").first()
    if line is None:
        raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy đơn hàng."), "line")
    return line


def _lots_by_code(sub: SubOrder, lot_codes: dict[str, list[str]]) -> dict[int, list[int]]:
    """SKU → lot codes as order line id → lot ids, looking only at this sub-order's lines and
    each line's own product's lots (so another producer's lot is never even found)."""
    lines = {line.product.sku: line for line in sub.lines.select_related("product") if line.product}
    batches = {
        (batch.product_id, batch.lot): batch.pk
        for batch in Batch.objects.filter(product__in=[line.product for line in lines.values()])
    }
    picked, errors = {}, []
    for sku, codes in lot_codes.items():
        line = lines.get(nfc(sku).strip())
        if line is None:
            errors.append(
                DomainError(
                    ProducerError.NOT_FOUND,
                    gettext("Đơn này không có sản phẩm %(sku)s.") % {"sku": sku},
                    "lots",
                )
            )
            continue
        picked[line.pk] = []
        for code in codes:
            batch_id = batches.get((line.product_id, nfc(code).strip().upper()))
            if batch_id is None:
                errors.append(
                    DomainError(
                        ProducerError.NOT_FOUND,
                        gettext("Sản phẩm %(sku)s không có lô %(lot)s.")
                        % {"sku": sku, "lot": code},
                        "lots",
                    )
                )
            else:
                picked[line.pk].append(batch_id)
    if errors:
        raise ValidationFailed(errors)
    return picked


def create_lot(user, sku: str, lot: str, packed_on, best_before, units: int, serialised: bool):
    data = BatchData(
        product=None,
        lot=nfc(lot).upper(),
        packed_on=packed_on,
        best_before=best_before,
        units=units,
        serialised=serialised,
    )
    batch, _ = create_member_batch(user, sku, data)
    return batch


def _photo_evidence(upload) -> Evidence:
    """A phone photo as evidence: checked like listing photos (clear messages, no bombs), then
    upright, downsized and re-encoded so no EXIF/GPS of the producer's home is published."""
    picture = images.normalise(images.open_upload(upload))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=images.JPEG_QUALITY, optimize=True)
    return Evidence(name="anh.jpg", content=buffer.getvalue())


def record_step(user, pk: int, step: str, when: datetime.datetime, note: str = "", photo=None):
    batch = get_lot(user, pk)
    actions = dict(EVENT_STEPS)
    if step not in actions:
        raise DomainError(
            ProducerError.INVALID_BIZ_STEP, gettext("Hãy chọn một bước trong danh sách."), "step"
        )
    data = EventData(
        event_type="ObjectEvent",
        action=actions[step],
        biz_step=step,
        event_time=when,
        actor="",
        note=nfc_lines(note),
        attachments=[_photo_evidence(photo)] if photo else [],
    )
    return record_member_event(user, gtin14(batch.product), batch.lot, data)
