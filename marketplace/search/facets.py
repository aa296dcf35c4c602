"""Facet counts of a result set: product set, OCOP stars, ward and price band."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from marketplace.addresses.models import Ward
from marketplace.language.services import localized_name
from marketplace.money import format_vnd
from marketplace.taxonomy.models import ProductSet
from marketplace.text import vi_sort_key

# Price bands in đồng: [low, high), None = open end. Keys are what a filter would send.
PRICE_BANDS = ((None, 100_000), (100_000, 200_000), (200_000, 500_000), (500_000, None))


@dataclass(frozen=True)
class FacetValue:
    key: str
    label: str
    count: int


@dataclass
class Facets:
    product_sets: list[FacetValue] = field(default_factory=list)
    stars: list[FacetValue] = field(default_factory=list)
    wards: list[FacetValue] = field(default_factory=list)
    price_bands: list[FacetValue] = field(default_factory=list)


def band_key(low: int | None, high: int | None) -> str:
    return f"{low or 0}-{high or ''}"


def band_label(low: int | None, high: int | None) -> str:
    if low is None:
        return _("Dưới %(price)s") % {"price": format_vnd(high)}
    if high is None:
        return _("Từ %(price)s") % {"price": format_vnd(low)}
    return f"{format_vnd(low)} – {format_vnd(high)}"


def labelled(
    set_counts: dict[str, int],
    star_counts: dict[int, int],
    ward_counts: dict[str, int],
    band_counts: dict[str, int],
) -> Facets:
    """Counts by key → Facets with Vietnamese labels, most frequent first (stars: 5 → 3)."""
    sets = ProductSet.objects.in_bulk(list(set_counts))
    wards = Ward.objects.in_bulk(list(ward_counts))

    def by_count(values):
        return sorted(values, key=lambda v: (-v.count, vi_sort_key(str(v.label))))

    return Facets(
        product_sets=by_count(
            FacetValue(code, localized_name(sets[code]) if code in sets else code, n)
            for code, n in set_counts.items()
        ),
        # A listing without a certificate counts under None: it has no star facet, and None
        # must go before sorting (it does not compare with the star numbers).
        stars=[
            FacetValue(str(s), _("%(stars)s sao") % {"stars": s}, n)
            for s, n in sorted(
                ((s, n) for s, n in star_counts.items() if s is not None), reverse=True
            )
        ],
        wards=by_count(
            FacetValue(code, wards[code].name if code in wards else code, n)
            for code, n in ward_counts.items()
        ),
        price_bands=[
            FacetValue(band_key(low, high), band_label(low, high), band_counts[band_key(low, high)])
            for low, high in PRICE_BANDS
            if band_counts.get(band_key(low, high))
        ],
    )


def database_facets(queryset: QuerySet) -> Facets:
    """Four GROUP BY queries over the (filtered, matched) products."""
    plain = queryset.order_by()

    def counts(column):
        return dict(plain.values_list(column).annotate(n=Count("pk")).values_list(column, "n"))

    bands = plain.aggregate(
        **{
            band_key(low, high): Count(
                "pk",
                filter=Q(price__gte=low or 0) & (Q(price__lt=high) if high else Q()),
            )
            for low, high in PRICE_BANDS
        }
    )
    return labelled(
        counts("product_set_id"),
        counts("certificate__stars"),
        counts("producer__ward_id"),
        bands,
    )
