import graphene
from django.utils.translation import gettext

from marketplace.access import public
from marketplace.catalog import listing
from marketplace.catalog.errors import CatalogError
from marketplace.catalog.graphql.types import (
    MODEL_ONLY_FIELDS,
    OcopGroup,
    PageInfo,
    Producer,
    Product,
    ProductConnection,
    ProductEdge,
    ProductSet,
)
from marketplace.catalog.models import Product as ProductModel
from marketplace.errors import DomainError
from marketplace.graphql.core import OrderDirection, query_error, selects
from marketplace.paging import MAX_PAGE_SIZE
from marketplace.search.services import browse_products
from marketplace.taxonomy.models import OcopGroup as OcopGroupModel
from marketplace.taxonomy.models import ProductSet as ProductSetModel
from producers.models import Producer as ProducerModel

CATALOG = "the published catalogue, as the storefront shows it to anyone"


class ProductSortField(graphene.Enum):
    NAME = "name"
    PRICE = "price"
    CREATED_AT = "created_at"
    RATING = "rating"


class ProductSortInput(graphene.InputObjectType):
    field = graphene.Field(ProductSortField, required=True)
    direction = graphene.Field(OrderDirection, default_value=OrderDirection.ASC.value)


class ProductFilterInput(graphene.InputObjectType):
    ocop_sets = graphene.List(graphene.NonNull(graphene.String))
    groups = graphene.List(graphene.NonNull(graphene.Int))
    stars = graphene.List(graphene.NonNull(graphene.Int))
    ward_codes = graphene.List(graphene.NonNull(graphene.String))
    producer_codes = graphene.List(graphene.NonNull(graphene.String))
    price_min = graphene.Int()
    price_max = graphene.Int()
    in_stock = graphene.Boolean()


_SORT_FIELDS = {
    "name": listing.SortField.NAME,
    "price": listing.SortField.PRICE,
    "created_at": listing.SortField.CREATED_AT,
    "rating": listing.SortField.RATING,
}


def _sort_from(sort_by) -> listing.Sort | None:
    # None: relevance when searching, by name otherwise (search.services.browse_products decides).
    if not sort_by:
        return None
    field = sort_by.field.value if hasattr(sort_by.field, "value") else sort_by.field
    direction = (
        sort_by.direction.value if hasattr(sort_by.direction, "value") else sort_by.direction
    )
    return listing.Sort(_SORT_FIELDS[field], descending=direction == "desc")


def _filter_from(data) -> listing.ProductFilter:
    data = data or {}
    return listing.ProductFilter(
        ocop_sets=list(data.get("ocop_sets") or []),
        groups=list(data.get("groups") or []),
        stars=list(data.get("stars") or []),
        ward_codes=list(data.get("ward_codes") or []),
        producer_codes=list(data.get("producer_codes") or []),
        price_min=data.get("price_min"),
        price_max=data.get("price_max"),
        in_stock=data.get("in_stock"),
    )


class CatalogQueries(graphene.ObjectType):
    products = graphene.Field(
        ProductConnection,
        required=True,
        first=graphene.Int(required=True, description=f"At most {MAX_PAGE_SIZE}."),
        after=graphene.String(),
        search=graphene.String(),
        filter=ProductFilterInput(),
        sort_by=ProductSortInput(),
        description="Published products, a page at a time (keyset cursors).",
    )
    product = graphene.Field(Product, sku=graphene.String(), slug=graphene.String())
    producer = graphene.Field(Producer, code=graphene.String(), slug=graphene.String())
    ocop_groups = graphene.List(graphene.NonNull(OcopGroup), required=True)
    product_sets = graphene.List(graphene.NonNull(ProductSet), required=True)

    @staticmethod
    @public(CATALOG)
    def resolve_products(root, info, first, after=None, search=None, filter=None, sort_by=None):
        sort = _sort_from(sort_by)
        try:
            page = browse_products(
                first=first,
                after=after,
                flt=_filter_from(filter),
                sort=sort,
                search=search,
                descriptions=selects(info, "edges", "node", "description"),
                cards=not any(selects(info, "edges", "node", *f) for f in MODEL_ONLY_FIELDS),
            )
        except DomainError as exc:
            raise query_error(exc) from exc
        items = page.items
        return ProductConnection(
            edges=[ProductEdge(product, page) for product in items],
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=page.cursor(items[0]) if items else None,
                end_cursor=page.cursor(items[-1]) if items else None,
            ),
            page=page,
        )

    @staticmethod
    @public(CATALOG)
    def resolve_product(root, info, sku=None, slug=None):
        if not sku and not slug:
            raise query_error(
                DomainError(CatalogError.REQUIRED, gettext("Cần sku hoặc slug."), "sku")
            )
        queryset = ProductModel.objects.visible_to(info.context.user).for_listing()
        lookup = {"sku": sku} if sku else {"slug": slug}
        return queryset.filter(**lookup).first()

    @staticmethod
    @public(CATALOG)
    def resolve_producer(root, info, code=None, slug=None):
        if not code and not slug:
            raise query_error(
                DomainError(CatalogError.REQUIRED, gettext("Cần code hoặc slug."), "code")
            )
        lookup = {"code": code} if code else {"slug": slug}
        return ProducerModel.objects.select_related("ward").filter(is_active=True, **lookup).first()

    @staticmethod
    @public(CATALOG)
    def resolve_ocop_groups(root, info):
        return OcopGroupModel.objects.prefetch_related("sets")

    @staticmethod
    @public(CATALOG)
    def resolve_product_sets(root, info):
        return ProductSetModel.objects.select_related("group")
