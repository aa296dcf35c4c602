"""The portal's front page figures: what needs the producer today, each a filtered list."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from marketplace.catalog.models import Product, ProductStatus
from marketplace.checkout.models import OrderStatus, SubOrder
from marketplace.checkout.payment_state import awaiting
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
