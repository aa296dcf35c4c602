"""Product cards: a listing page's products read as plain values, not model instances.

A page of 100 products through select_related builds about 700 model instances (product,
producer, ward, certificate, set, group, stock) and a queryset per product for its images:
10 ms of a listing request at 10k products. A card is the same facts in one joined row, its
first picture included, read with values_list: one query, about 3 ms. Cards are read-only and carry
what the product API and its cursors read; the model keeps everything else (reviews, a group's
sets, writes).

The attribute names are the model's, so one set of GraphQL resolvers serves both; the API's
tests compare each card field with the same product read as a model.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from marketplace.catalog import thumbnails
from marketplace.catalog.models import CertificateValidity, ListingFacts, ProductImage


@dataclass(slots=True)
class WardCard:
    code: str
    name: str
    division_type: str
    province_id: str


@dataclass(slots=True)
class ProducerCard:
    pk: int
    code: str
    name: str
    slug: str
    kind: str
    ward: WardCard
    street_address: str
    phone: str
    latitude: Decimal | None
    longitude: Decimal | None


@dataclass(slots=True)
class CertificateCard(CertificateValidity):
    number: str
    stars: int
    decision: str
    issued_on: datetime.date
    expires_on: datetime.date


@dataclass(slots=True)
class GroupCard:
    number: int
    name: str
    name_en: str


@dataclass(slots=True)
class ProductSetCard:
    code: str
    name: str
    name_en: str
    group: GroupCard


@dataclass(slots=True)
class ImageCard:
    """The first picture, as far as the API shows it: the name its thumbnails are made from."""

    stored_name: str

    def thumbnail_url(self, size: int | None = None, fmt: str = "webp") -> str:
        return thumbnails.thumbnail_url(self.stored_name, size, fmt)


@dataclass(slots=True)
class ProductCard(ListingFacts):
    pk: int
    sku: str
    gtin: str | None
    name: str
    name_en: str
    slug: str
    sort_name: str
    description: str | None  # None unless asked for (see product_cards)
    unit: str
    net_weight_g: int
    price: int
    status: str
    created_at: datetime.datetime
    rating_count: int
    rating_total: int
    rating_sort: int
    stock_quantity: int
    certificate_id: int | None
    certificate: CertificateCard | None
    producer: ProducerCard
    product_set: ProductSetCard
    main_image: ImageCard | None


_PRODUCT = (
    "pk", "sku", "gtin", "name", "name_en", "slug", "sort_name", "unit", "net_weight_g",
    "price", "status", "created_at", "rating_count", "rating_total", "rating_sort",
    "stock__quantity", "certificate_id",
)  # fmt: skip
_CERTIFICATE = (
    "certificate__number", "certificate__stars", "certificate__decision",
    "certificate__issued_on", "certificate__expires_on",
)  # fmt: skip
_PRODUCER = (
    "producer_id", "producer__code", "producer__name", "producer__slug", "producer__kind",
    "producer__street_address", "producer__phone", "producer__latitude", "producer__longitude",
)  # fmt: skip
_WARD = (
    "producer__ward_id", "producer__ward__name", "producer__ward__division_type",
    "producer__ward__province_id",
)  # fmt: skip
_SET = (
    "product_set_id", "product_set__name", "product_set__name_en", "product_set__group_id",
    "product_set__group__name", "product_set__group__name_en",
)  # fmt: skip


def product_cards(queryset: QuerySet, *, descriptions: bool = False) -> list[ProductCard]:
    """The products of `queryset` (ordered and sliced as the caller wants) as cards, in one
    query; with `descriptions`, their descriptions too."""
    # The first picture in the order the model's `images` gives them (ProductImage.Meta).
    first_picture = ProductImage.objects.filter(product=OuterRef("pk")).order_by("position", "id")
    columns = _PRODUCT + _CERTIFICATE + _PRODUCER + _WARD + _SET + ("picture",)
    if descriptions:
        columns += ("description",)
    queryset = queryset.annotate(picture=Subquery(first_picture.values("file")[:1]))
    cards = []
    wards: dict[str, WardCard] = {}
    producers: dict[int, ProducerCard] = {}
    sets: dict[str, ProductSetCard] = {}
    for row in queryset.values_list(*columns):
        (pk, sku, gtin, name, name_en, slug, sort_name, unit, net_weight_g, price, status,
         created_at, rating_count, rating_total, rating_sort, quantity, certificate_id,
         number, stars, decision, issued_on, expires_on,
         producer_id, code, producer_name, producer_slug, kind, street, phone, lat, lng,
         ward_code, ward_name, division_type, province_id,
         set_code, set_name, set_name_en, group_number, group_name, group_name_en,
         picture, *description) = row  # fmt: skip
        # Products of one producer, ward or set share one card of it, as one page shows them.
        ward = wards.get(ward_code)
        if ward is None:
            ward = wards[ward_code] = WardCard(ward_code, ward_name, division_type, province_id)
        producer = producers.get(producer_id)
        if producer is None:
            producer = producers[producer_id] = ProducerCard(
                producer_id, code, producer_name, producer_slug, kind, ward, street, phone,
                lat, lng,
            )  # fmt: skip
        product_set = sets.get(set_code)
        if product_set is None:
            group = GroupCard(group_number, group_name, group_name_en)
            product_set = sets[set_code] = ProductSetCard(set_code, set_name, set_name_en, group)
        certificate = None
        if certificate_id is not None:
            certificate = CertificateCard(number, stars, decision, issued_on, expires_on)
        cards.append(
            ProductCard(
                pk,
                sku,
                gtin,
                name,
                name_en,
                slug,
                sort_name,
                description[0] if description else None,
                unit,
                net_weight_g,
                price,
                status,
                created_at,
                rating_count,
                rating_total,
                rating_sort,
                quantity or 0,
                certificate_id,
                certificate,
                producer,
                product_set,
                ImageCard(picture) if picture else None,
            )
        )
    return cards
