"""Read-only look-ups the shopper's pages share; each is one query (or two) whatever the size."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from marketplace.addresses.models import Ward
from marketplace.catalog.models import OcopGroup, Product, ProductSet, ProductStatus
from marketplace.text import vi_sort_key

HOME_PROVINCE = "91"  # An Giang

_PUBLISHED = Q(products__status=ProductStatus.PUBLISHED, products__producer__is_active=True)


def featured_products(day: datetime.date, limit: int = 8) -> list[Product]:
    """Best-starred products whose certificate is valid on `day`, newest first among equals."""
    # Same rule as OcopCertificate.is_valid_on, written as a filter.
    return list(
        Product.objects.published()
        .filter(certificate__issued_on__lte=day, certificate__expires_on__gte=day)
        .for_listing()
        .order_by("-certificate__stars", "-created_at", "-pk")[:limit]
    )


def sets_with_products() -> list[ProductSet]:
    """Product sets that have published products, each with `product_count`, in decree order."""
    return list(
        ProductSet.objects.select_related("group")
        .annotate(product_count=Count("products", filter=_PUBLISHED))
        .filter(product_count__gt=0)
        .order_by("group_id", "position")
    )


@dataclass
class GroupWithSets:
    group: OcopGroup
    sets: list[ProductSet]


def groups_with_sets() -> list[GroupWithSets]:
    """All six OCOP groups, each with its sets that have published products."""
    sets = sets_with_products()
    return [
        GroupWithSets(group, [s for s in sets if s.group_id == group.number])
        for group in OcopGroup.objects.all()
    ]


def places() -> list[Ward]:
    """Wards of the province with active producers: `producer_count`, `product_count`."""
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
        .order_by()
    )
    # "Xã An Phú" files under A, not under X: sort by the short name, in Vietnamese order.
    return sorted(wards, key=lambda ward: vi_sort_key(ward.short_name))
