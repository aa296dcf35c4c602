from typing import NamedTuple

import graphene
from graphql_relay import to_global_id

from marketplace.catalog.models import ProductStatus
from marketplace.graphql.core import Money, enum_of, request_today
from marketplace.reviews.graphql import schema as review_fields
from producers.models import ProducerKind

ProducerKindEnum = enum_of(ProducerKind, "ProducerKindEnum")
ProductStatusEnum = enum_of(ProductStatus, "ProductStatusEnum")


class Province(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)


class Ward(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    division_type = graphene.String(required=True)
    province_code = graphene.String(required=True)

    @staticmethod
    def resolve_province_code(ward, info):
        return ward.province_id


class Producer(graphene.ObjectType):
    id = graphene.ID(required=True)
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    kind = graphene.Field(ProducerKindEnum, required=True)
    ward = graphene.Field(Ward, required=True)
    street_address = graphene.String(required=True)
    phone = graphene.String(required=True)
    latitude = graphene.Float()
    longitude = graphene.Float()

    @staticmethod
    def resolve_id(producer, info):
        return to_global_id("Producer", producer.pk)

    @staticmethod
    def resolve_latitude(producer, info):
        return float(producer.latitude) if producer.latitude is not None else None

    @staticmethod
    def resolve_longitude(producer, info):
        return float(producer.longitude) if producer.longitude is not None else None


class OcopCertificate(graphene.ObjectType):
    number = graphene.String(required=True)
    stars = graphene.Int(required=True)
    decision = graphene.String(required=True)
    issued_on = graphene.Date(required=True)
    expires_on = graphene.Date(required=True, description="Ngày cuối cùng còn hiệu lực.")
    valid = graphene.Boolean(
        required=True,
        on=graphene.Date(description="Mặc định: hôm nay (giờ Việt Nam)."),
        description="Whether the certificate is valid on the given day.",
    )

    @staticmethod
    def resolve_valid(certificate, info, on=None):
        return certificate.is_valid_on(on or request_today(info))


class OcopGroup(graphene.ObjectType):
    number = graphene.Int(required=True)
    name = graphene.String(required=True)
    name_en = graphene.String(required=True)
    sets = graphene.List(graphene.NonNull(lambda: ProductSet), required=True)

    @staticmethod
    def resolve_sets(group, info):
        return group.sets.all()


class ProductSet(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    name_en = graphene.String(required=True)
    group = graphene.Field(OcopGroup, required=True)


# Fields of Product that a listing's cards (marketplace.catalog.cards) cannot answer, because
# they read more rows: a page asking for one of them is read as model instances.
MODEL_ONLY_FIELDS = (("reviews",), ("productSet", "group", "sets"))


class Product(graphene.ObjectType):
    id = graphene.ID(required=True)
    sku = graphene.String(required=True)
    gtin = graphene.String()
    name = graphene.String(required=True)
    name_en = graphene.String(description="The producer's English name, or null when none.")
    slug = graphene.String(required=True)
    ocop_stars = graphene.Int()
    description = graphene.String(required=True)
    ocop_certificate = graphene.Field(OcopCertificate)
    producer = graphene.Field(Producer, required=True)
    product_set = graphene.Field(ProductSet, required=True)
    unit = graphene.String(required=True)
    net_weight_g = graphene.Int(required=True)
    price = graphene.Field(Money, required=True)
    stock = graphene.Int(required=True)
    status = graphene.Field(ProductStatusEnum, required=True)
    created_at = graphene.DateTime(required=True)
    thumbnail_url = graphene.String(size=graphene.Int(), format=graphene.String())
    url = graphene.String(required=True, description="Trang sản phẩm trên gian hàng.")
    rating = review_fields.RATING_FIELD
    reviews = review_fields.REVIEWS_FIELD

    @staticmethod
    def resolve_id(product, info):
        return to_global_id("Product", product.pk)

    @staticmethod
    def resolve_name_en(product, info):
        return product.name_en or None

    @staticmethod
    def resolve_ocop_certificate(product, info):
        return product.certificate

    @staticmethod
    def resolve_price(product, info):
        return Money.vnd(product.price)

    @staticmethod
    def resolve_stock(product, info):
        return product.stock_quantity

    @staticmethod
    def resolve_thumbnail_url(product, info, size=None, format="webp"):
        image = product.main_image
        if image is None:
            return None
        fmt = "jpg" if format in ("jpg", "jpeg") else "webp"
        return info.context.build_absolute_uri(image.thumbnail_url(size, fmt))

    @staticmethod
    def resolve_url(product, info):
        from django.urls import reverse

        return info.context.build_absolute_uri(reverse("storefront:product", args=[product.slug]))


class ProductCountableEdge(graphene.ObjectType):
    """Resolved from a ProductEdge: its cursor is encoded only when asked for."""

    node = graphene.Field(Product, required=True)
    cursor = graphene.String(required=True)

    @staticmethod
    def resolve_cursor(edge, info):
        return edge.page.cursor(edge.node)


class ProductEdge(NamedTuple):
    node: object  # a Product or a ProductCard
    page: object  # the marketplace.catalog.listing.Page it is on


class PageInfo(graphene.ObjectType):
    has_next_page = graphene.Boolean(required=True)
    has_previous_page = graphene.Boolean(required=True)
    start_cursor = graphene.String()
    end_cursor = graphene.String()


class FacetCount(graphene.ObjectType):
    key = graphene.String(required=True, description="Giá trị để lọc (mã bộ, số sao, mã xã…).")
    label = graphene.String(required=True)
    count = graphene.Int(required=True)


class ProductFacets(graphene.ObjectType):
    """Counts over the whole result set (every page), for narrowing a search."""

    product_sets = graphene.List(graphene.NonNull(FacetCount), required=True)
    stars = graphene.List(graphene.NonNull(FacetCount), required=True)
    wards = graphene.List(graphene.NonNull(FacetCount), required=True)
    price_bands = graphene.List(
        graphene.NonNull(FacetCount), required=True, description="Khóa dạng 'từ-đến' (đồng)."
    )


class ProductConnection(graphene.ObjectType):
    edges = graphene.List(graphene.NonNull(ProductCountableEdge), required=True)
    page_info = graphene.Field(PageInfo, required=True)
    total_count = graphene.Int(
        required=True,
        description=(
            "Exact for listings; for a search, the relevance candidates, capped at 1000 "
            "(read 1000 as 'more than 1000')."
        ),
    )
    facets = graphene.Field(ProductFacets, required=True, description="Computed when asked.")
    did_you_mean = graphene.String(description="A corrected search, when the query had typos.")
    search_backend = graphene.String(required=True)
    search_relaxed = graphene.Boolean(
        required=True,
        description=(
            "True when no product matches every word of `search`: the edges are then the "
            "closest products (some of the words, never a description-only match), not "
            "matches; say so before showing them. False for listings."
        ),
    )
    search_ignored_words = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Shop words of `search` left out of matching (units, classifiers, 'ngon').",
    )

    def __init__(self, page=None, **kwargs):
        super().__init__(**kwargs)
        self._page = page

    @staticmethod
    def resolve_total_count(connection, info):
        return connection._page.total_count  # counted only when asked

    @staticmethod
    def resolve_facets(connection, info):
        return connection._page.facets()

    @staticmethod
    def resolve_did_you_mean(connection, info):
        return connection._page.suggestion

    @staticmethod
    def resolve_search_backend(connection, info):
        return connection._page.backend

    @staticmethod
    def resolve_search_relaxed(connection, info):
        return connection._page.relaxed

    @staticmethod
    def resolve_search_ignored_words(connection, info):
        return connection._page.ignored_words
