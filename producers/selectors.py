"""Reads of a member's side of the marketplace: the portal's front-page figures, their products,
sub-orders, lots and scan flags.

Every query starts from a `for_member(user)` queryset, so one producer never reads another's.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Case, Count, Prefetch, Q, Sum, When
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.catalog.models import Product, ProductImage, ProductStatus
from marketplace.checkout import lots
from marketplace.checkout.models import (
    OrderLine,
    OrderLineLot,
    OrderStatus,
    Return,
    ReturnStatus,
    SubOrder,
)
from marketplace.checkout.payment_state import awaiting, require_shippable
from marketplace.errors import DomainError
from producers.errors import ProducerError
from producers.models import OcopCertificate, Producer
from traceability.models import Batch, ScanFlag

LOW_STOCK = 5
CERTIFICATE_WARNING_DAYS = 90
OPEN = (OrderStatus.NEW, OrderStatus.CONFIRMED)


@dataclass(frozen=True)
class Figures:
    orders_today: int
    revenue_today: int  # đồng, sub-order totals of today's orders not cancelled
    new_orders: int
    to_ship: int  # confirmed, i.e. paid or cash on delivery, not yet handed to the carrier
    awaiting_payment: int  # open orders whose transfer has not arrived
    low_stock: int
    expiring_certificates: int
    scan_flags: int


def start_of_today():
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def low_stock_products(user):
    return (
        Product.objects.for_member(user)
        .exclude(status=ProductStatus.HIDDEN)
        .filter(stock__quantity__lte=LOW_STOCK)
    )


def expiring_certificates(user):
    today = timezone.localdate()
    return OcopCertificate.objects.filter(
        producer__in=Producer.objects.for_member(user).values("pk"),
        expires_on__gte=today,
        expires_on__lte=today + timedelta(days=CERTIFICATE_WARNING_DAYS),
    )


def flagged_lots(user):
    return Batch.objects.for_member(user).filter(flags__isnull=False).distinct()


def figures(user) -> Figures:
    """Four queries, whatever the shop's size."""
    today = Q(order__created_at__gte=start_of_today())
    live = ~Q(status=OrderStatus.CANCELLED)
    orders = SubOrder.objects.for_member(user).aggregate(
        orders_today=Count("pk", filter=today),
        revenue_today=Sum("total", filter=today & live, default=0),
        new_orders=Count("pk", filter=Q(status=OrderStatus.NEW)),
        to_ship=Count("pk", filter=Q(status=OrderStatus.CONFIRMED)),
        awaiting_payment=Count("pk", filter=Q(status__in=OPEN) & awaiting("order__payment__")),
    )
    return Figures(
        **orders,
        low_stock=low_stock_products(user).count(),
        expiring_certificates=expiring_certificates(user).count(),
        scan_flags=ScanFlag.objects.filter(
            batch__in=Batch.objects.for_member(user).values("pk")
        ).count(),
    )


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
        raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy đơn hàng."), "order")
    subs = [found[pk] for pk in dict.fromkeys(ids)]
    for sub in subs:
        require_shippable(getattr(sub.order, "payment", None))
    return subs


def placed_today(sub_orders):
    """Sub-orders of orders placed since midnight, Vietnamese time."""
    return sub_orders.filter(order__created_at__gte=start_of_today())


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
        raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy lô hàng."), "lot")
    return batch


def recent_flags(user, limit: int = 10) -> list[ScanFlag]:
    return list(
        ScanFlag.objects.filter(batch__in=Batch.objects.for_member(user).values("pk"))
        .select_related("batch__product")
        .order_by("-created_at")[:limit]
    )


def member_products(user, *, low_stock: bool = False, expiring: bool = False, limit: int = 200):
    """The member's listings, last changed first; optionally only those low on stock or whose
    certificate expires soon."""
    products = Product.objects.for_member(user)
    if low_stock:
        products = products.filter(pk__in=low_stock_products(user).values("pk"))
    if expiring:
        products = products.filter(certificate__in=expiring_certificates(user).values("pk"))
    return list(products.select_related("stock", "producer").order_by("-updated_at", "-id")[:limit])


def moderated_products(user, limit: int = 20) -> list[Product]:
    """The member's listings staff moderated, newest first (the dashboard warns about them)."""
    return list(
        Product.objects.for_member(user)
        .exclude(moderation_reason="")
        .only("pk", "name", "moderation_reason")
        .order_by("-moderated_at")[:limit]
    )


def products_with_gtin(user) -> list[Product]:
    """The products a member may open a lot of (a lot needs the product's GTIN)."""
    return list(
        Product.objects.for_member(user).exclude(gtin=None).only("sku", "name").order_by("name")
    )


def product_choices(user) -> list[Product]:
    return list(Product.objects.for_member(user).only("sku", "name").order_by("sort_name"))


def returns_for(user):
    """The returns shoppers asked of the member's producers: those to answer first, then the
    rest, newest first."""
    return (
        Return.objects.filter(sub_order__in=SubOrder.objects.for_member(user))
        .select_related("sub_order__order", "sub_order__producer")
        .prefetch_related("sub_order__lines", "items__line")
        .order_by(
            Case(When(status=ReturnStatus.REQUESTED, then=0), default=1),
            "-created_at",
            "-id",
        )
    )
