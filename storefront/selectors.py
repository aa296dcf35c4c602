"""Read-only look-ups the shopper's pages share; each is one query (or two) whatever the size.

What every shopper's page counts over the whole catalog (the sets and places with their product
counts, which products the home page features and finds popular) is the same for everyone and
costs most of a page's database time at 10,000 products: it is computed once and shared
(`navigation`, through Redis when REDIS_URL is set), dropped when a product, producer,
certificate, set, group or ward changes. The products themselves are always read fresh, by
primary key.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from marketplace.addresses.models import Ward
from marketplace.catalog.models import Product, ProductStatus
from marketplace.taxonomy.models import OcopGroup, ProductSet
from marketplace.text import vi_sort_key
from marketplace.versioned_cache import VersionedCache

HOME_PROVINCE = "91"  # An Giang

_PUBLISHED = Q(products__status=ProductStatus.PUBLISHED, products__producer__is_active=True)

# Orders are not watched: "popular" may lag them by up to the timeout, as may a count computed
# on a replica that had not replayed the write that changed it.
navigation = VersionedCache("storefront", timeout=120)


def watch_catalog() -> None:
    from producers.models import OcopCertificate, Producer

    navigation.watch(Product, Producer, OcopCertificate, ProductSet, OcopGroup, Ward)


def _in_order(ids: list[int]) -> list[Product]:
    """The published products of `ids`, in that order (one query by primary key)."""
    found = {p.pk: p for p in Product.objects.published().filter(pk__in=ids).for_listing()}
    return [found[pk] for pk in ids if pk in found]


def featured_products(day: datetime.date, limit: int = 8) -> list[Product]:
    """Best-starred products whose certificate is valid on `day`, newest first among equals."""

    def ranked() -> list[int]:
        # Same rule as OcopCertificate.is_valid_on, written as a filter.
        return list(
            Product.objects.published()
            .filter(certificate__issued_on__lte=day, certificate__expires_on__gte=day)
            .order_by("-certificate__stars", "-created_at", "-pk")
            .values_list("pk", flat=True)[:limit]
        )

    return _in_order(navigation.cached(f"featured:{day.isoformat()}:{limit}", ranked))


def newest_products(limit: int = 4) -> list[Product]:
    return list(Product.objects.published().for_listing().order_by("-created_at", "-pk")[:limit])


def popular_products(since: datetime.date, limit: int = 4) -> list[Product]:
    """Most units ordered since `since` (cancelled sub-orders do not count), two queries."""
    from marketplace.checkout.models import OrderLine, OrderStatus  # reads, never writes

    def ranked() -> list[int]:
        sold = (
            OrderLine.objects.filter(sub_order__order__created_at__date__gte=since)
            .exclude(sub_order__status=OrderStatus.CANCELLED)
            .exclude(product__isnull=True)
            .values("product_id")
            .annotate(units=Sum("quantity"))
            .order_by("-units", "product_id")
        )
        return [row["product_id"] for row in sold[: limit * 3]]  # some may be unpublished since

    return _in_order(navigation.cached(f"popular:{since.isoformat()}:{limit}", ranked))[:limit]


def sets_with_products() -> list[ProductSet]:
    """Product sets that have published products, each with `product_count`, in decree order."""

    def counted() -> list[ProductSet]:
        return list(
            ProductSet.objects.select_related("group")
            .annotate(product_count=Count("products", filter=_PUBLISHED))
            .filter(product_count__gt=0)
            .order_by("group_id", "position")
        )

    return navigation.cached("sets", counted)


@dataclass
class GroupWithSets:
    group: OcopGroup
    sets: list[ProductSet]


def groups_with_sets() -> list[GroupWithSets]:
    """The OCOP groups that have published products, each with its sets that do."""
    sets = sets_with_products()
    groups = [
        GroupWithSets(group, [s for s in sets if s.group_id == group.number])
        for group in OcopGroup.objects.all()
    ]
    return [g for g in groups if g.sets]


def places() -> list[Ward]:
    """Wards of the province with active producers: `producer_count`, `product_count`."""

    def counted() -> list[Ward]:
        wards = (
            Ward.objects.filter(province_id=HOME_PROVINCE, producers__is_active=True)
            .annotate(
                producer_count=Count("producers", distinct=True),
                product_count=Count(
                    "producers__products",
                    filter=Q(producers__products__status=ProductStatus.PUBLISHED),
                    distinct=True,
                ),
            )
            .filter(product_count__gt=0)
            .order_by()
        )
        # "Xã An Phú" files under A, not under X: sort by the short name, in Vietnamese order.
        return sorted(wards, key=lambda ward: vi_sort_key(ward.short_name))

    return navigation.cached("places", counted)


def other_products(product: Product, limit: int = 4) -> list[Product]:
    """More from the same producer, newest first."""
    return list(
        Product.objects.published()
        .filter(producer_id=product.producer_id)
        .exclude(pk=product.pk)
        .for_listing()
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass
class LotJourney:
    batch: object
    steps: list  # events as the trace page shows them (declarations folded away)
    more: int  # steps not shown here


def latest_lot_journey(product: Product, limit: int = 5) -> LotJourney | None:
    """The newest lot's story, short: the trace page has the whole, verified chain."""
    batch = product.batches.order_by("-packed_on", "-pk").first() if product.pk else None
    if batch is None:
        return None
    # Declarations of error are not steps, and a step declared wrong is left out of the summary.
    events = list(
        batch.events.filter(declares_error_on__isnull=True, error_declarations__isnull=True)
        .select_related("ward")
        .order_by("seq")
    )
    return LotJourney(batch, events[:limit], max(0, len(events) - limit))
