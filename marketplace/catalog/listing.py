"""Browsing published products: filters, sort orders and keyset (cursor) pagination.

The pieces every product listing is made of; search.services.browse_products puts them together
for the GraphQL `products` connection and the storefront listings.
"""

import base64
import binascii
import datetime
import enum
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from marketplace.catalog.cards import product_cards
from marketplace.catalog.errors import CatalogError
from marketplace.catalog.models import Product
from marketplace.errors import DomainError
from marketplace.paging import MAX_PAGE_SIZE


class SortField(enum.Enum):
    NAME = "sort_name"
    PRICE = "price"
    CREATED_AT = "created_at"
    RATING = "rating_sort"  # average stars × 100, then the product's id


@dataclass(frozen=True)
class Sort:
    field: SortField = SortField.NAME
    descending: bool = False


NEWEST = Sort(SortField.CREATED_AT, descending=True)


@dataclass(frozen=True)
class ProductFilter:
    ocop_sets: list[str] = field(default_factory=list)
    groups: list[int] = field(default_factory=list)
    stars: list[int] = field(default_factory=list)
    ward_codes: list[str] = field(default_factory=list)
    producer_codes: list[str] = field(default_factory=list)
    price_min: int | None = None
    price_max: int | None = None
    in_stock: bool | None = None


@dataclass
class Page:
    items: list  # Product instances, or ProductCards (keyset_page)
    has_next: bool
    has_previous: bool
    # The count, or how to count: a listing's COUNT(*) runs only when total_count is read
    # (most of a listing page's database time at 10k products).
    total: int | Callable[[], int]
    # None: relevance order (a search without an explicit sort); cursor_of then encodes.
    sort: Sort | None = None
    cursor_of: Callable[[Product], str] | None = None
    # Search extras (marketplace.search): "did you mean", who answered, facet counts on demand.
    suggestion: str | None = None
    backend: str = "database"
    # No product has every word of the search: the items are the closest ones, not matches.
    relaxed: bool = False
    ignored_words: list[str] = field(default_factory=list)  # shop words left out of matching
    facet_loader: Callable[[], object] | None = None
    _facets: object = field(default=None, repr=False)

    @property
    def total_count(self) -> int:
        if callable(self.total):
            self.total = self.total()
        return self.total

    def cursor(self, product: Product, sort: Sort | None = None) -> str:
        if self.cursor_of is not None:
            return self.cursor_of(product)
        return encode_cursor(self.sort or sort or Sort(), product)

    def facets(self):
        """marketplace.search.facets.Facets of the whole result set (computed once, lazily)."""
        if self._facets is None and self.facet_loader is not None:
            self._facets = self.facet_loader()
        return self._facets


def encode_cursor(sort: Sort, product: Product) -> str:
    value = getattr(product, sort.field.value)
    if sort.field is SortField.CREATED_AT:
        value = value.isoformat()
    raw = json.dumps([sort.field.name, value, product.pk], ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: Sort) -> tuple[object, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, value, pk = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, binascii.Error, TypeError, UnicodeDecodeError):
        raise DomainError(
            CatalogError.INVALID_CURSOR, gettext("Con trỏ phân trang không hợp lệ."), "after"
        )
    if name != sort.field.name or not isinstance(pk, int):
        raise DomainError(
            CatalogError.INVALID_CURSOR,
            gettext("Con trỏ phân trang thuộc một cách sắp xếp khác."),
            "after",
        )
    if not _cursor_value_fits(sort.field, value):
        raise DomainError(
            CatalogError.INVALID_CURSOR, gettext("Con trỏ phân trang không hợp lệ."), "after"
        )
    return value, pk


def _cursor_value_fits(sort_field: SortField, value: object) -> bool:
    """A hand-made cursor must not reach the database with a value of the wrong type."""
    if sort_field in (SortField.PRICE, SortField.RATING):
        return isinstance(value, int) and not isinstance(value, bool)
    if not isinstance(value, str):
        return False
    if sort_field is SortField.CREATED_AT:
        try:
            datetime.datetime.fromisoformat(value)
        except ValueError:
            return False
    return True


def apply_filter(queryset: QuerySet, flt: ProductFilter) -> QuerySet:
    if flt.ocop_sets:
        queryset = queryset.filter(product_set_id__in=flt.ocop_sets)
    if flt.groups:
        queryset = queryset.filter(product_set__group_id__in=flt.groups)
    if flt.stars:
        queryset = queryset.filter(certificate__stars__in=flt.stars)
    if flt.ward_codes:
        queryset = queryset.filter(producer__ward_id__in=flt.ward_codes)
    if flt.producer_codes:
        queryset = queryset.filter(producer__code__in=flt.producer_codes)
    if flt.price_min is not None:
        queryset = queryset.filter(price__gte=flt.price_min)
    if flt.price_max is not None:
        queryset = queryset.filter(price__lte=flt.price_max)
    if flt.in_stock is True:
        queryset = queryset.filter(stock__quantity__gt=0)
    elif flt.in_stock is False:
        queryset = queryset.filter(Q(stock__isnull=True) | Q(stock__quantity=0))
    return queryset


def validate_page_size(first: int) -> int:
    if first < 0:
        raise DomainError(
            CatalogError.INVALID_PAGE_SIZE, gettext("Tham số first không được âm."), "first"
        )
    if first > MAX_PAGE_SIZE:
        raise DomainError(
            CatalogError.PAGE_SIZE_TOO_LARGE,
            gettext("Tham số first tối đa là %(max_page_size)s (nhận %(first)s).")
            % {"max_page_size": MAX_PAGE_SIZE, "first": first},
            "first",
        )
    return first


def keyset_page(
    queryset: QuerySet,
    *,
    first: int,
    after: str | None,
    sort: Sort,
    total: int | Callable[[], int],
    descriptions: bool = True,
    cards: bool = False,
):
    """One page of `queryset` in `sort` order, after the cursor `after`: model instances, or
    with `cards` read-only cards (marketplace.catalog.cards). See for_listing for
    `descriptions`."""
    key = sort.field.value
    if after:
        value, pk = decode_cursor(after, sort)
        op = "lt" if sort.descending else "gt"
        queryset = queryset.filter(
            Q(**{f"{key}__{op}": value}) | Q(**{key: value, f"pk__{op}": pk})
        )
    order = [f"-{key}", "-pk"] if sort.descending else [key, "pk"]
    if cards:
        rows = product_cards(queryset.order_by(*order)[: first + 1], descriptions=descriptions)
    else:
        listed = queryset.for_listing(descriptions=descriptions)
        rows = list(listed.order_by(*order)[: first + 1])
    return Page(
        items=rows[:first],
        has_next=len(rows) > first,
        has_previous=bool(after),
        total=total,
        sort=sort,
    )
