"""A member's side of orders and lots: scoping to their producers, then the owning services.

Sub-orders go through marketplace.checkout.services (status moves, restock on cancel, cash on
delivery); lots and their events through traceability.lots and traceability.events. Nothing here
re-states a rule.
"""

import datetime
import io

from django.db.models import Count, Prefetch
from django.utils import timezone

from marketplace.catalog import images
from marketplace.catalog.models import ProductImage
from marketplace.checkout import lots
from marketplace.checkout.models import OrderLine, OrderLineLot, OrderStatus, SubOrder
from marketplace.checkout.payment_state import require_shippable
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.errors import DomainError
from marketplace.text import nfc, nfc_lines
from traceability.events import EventData, record_member_event
from traceability.evidence import Evidence
from traceability.lots import BatchData, create_member_batch
from traceability.models import Batch, ScanFlag
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


def sub_orders_for(user):
    """Everything the order cards, slips and the API show, in a constant number of queries."""
    return (
        SubOrder.objects.for_member(user)
        .select_related(
            "order__payment", "order__ward", "order__province", "producer__ward__province"
        )
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=OrderLine.objects.select_related("product").prefetch_related(
                    Prefetch(
                        "product__images", queryset=ProductImage.objects.order_by("position", "id")
                    ),
                    Prefetch("lots", queryset=OrderLineLot.objects.select_related("batch")),
                ),
            )
        )
        .order_by("-order__created_at", "-id")
    )


def with_lot_choices(sub_orders: list[SubOrder]) -> list[SubOrder]:
    """Give each line of the sub-orders still to ship its lots (newest first, units left)."""
    open_subs = [s for s in sub_orders if s.status == OrderStatus.CONFIRMED]
    product_ids = {line.product_id for s in open_subs for line in s.lines.all() if line.product_id}
    available = lots.lots_by_product(product_ids) if product_ids else {}
    for sub in open_subs:
        for line in sub.lines.all():
            line.lot_choices = available.get(line.product_id, [])
            line.default_lot_ids = {
                b.pk for b in lots.default_lots(line.lot_choices, line.quantity)
            }
    return sub_orders


def slips_for(user, ids: list[int]) -> list[SubOrder]:
    """The sub-orders to print, in the order asked; one not visible to the user is 'not found'.

    Unpaid transfers get no slip: a printed slip is how a parcel ends up shipped by mistake."""
    found = {s.pk: s for s in sub_orders_for(user).filter(pk__in=ids)}
    if not ids or len(found) != len(set(ids)):
        raise DomainError("NOT_FOUND", "Không tìm thấy đơn hàng.", "order")
    subs = [found[pk] for pk in dict.fromkeys(ids)]
    for sub in subs:
        require_shippable(getattr(sub.order, "payment", None))
    return subs


def advance_sub_order(
    user,
    pk: int,
    action: str,
    *,
    carrier: str = "",
    tracking_number: str = "",
    reason: str = "",
    lots: dict[int, list[int]] | None = None,
) -> SubOrder:
    """Ship needs carrier + tracking number (and takes the lots), cancel a reason:
    checkout.services checks them."""
    sub = SubOrder.objects.for_member(user).filter(pk=pk).only("pk").first()
    if sub is None:
        raise DomainError("NOT_FOUND", "Không tìm thấy đơn hàng.", "order")
    if action not in ORDER_ACTIONS:
        raise DomainError("INVALID_ACTION", "Thao tác không hợp lệ.", "action")
    details = Fulfilment(
        carrier=carrier, tracking_number=tracking_number, cancel_reason=reason, lots=lots
    )
    return set_sub_order_status(sub.pk, ORDER_ACTIONS[action], details)


def placed_today(sub_orders):
    """Sub-orders of orders placed since midnight, Vietnamese time."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return sub_orders.filter(order__created_at__gte=start)


def new_order_count(user) -> int:
    return SubOrder.objects.for_member(user).filter(status=OrderStatus.NEW).count()


def lots_for(user):
    return (
        Batch.objects.for_member(user)
        .select_related("product")
        .annotate(flag_count=Count("flags", distinct=True))
        .order_by("-created_at", "-id")
    )


def get_lot(user, pk: int) -> Batch:
    batch = Batch.objects.for_member(user).select_related("product__producer").filter(pk=pk).first()
    if batch is None:
        raise DomainError("NOT_FOUND", "Không tìm thấy lô hàng.", "lot")
    return batch


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
        raise DomainError("INVALID_BIZ_STEP", "Hãy chọn một bước trong danh sách.", "step")
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


def recent_flags(user, limit: int = 10) -> list[ScanFlag]:
    return list(
        ScanFlag.objects.filter(batch__in=Batch.objects.for_member(user).values("pk"))
        .select_related("batch__product")
        .order_by("-created_at")[:limit]
    )
