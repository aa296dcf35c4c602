"""Browsing published products: filters, sort orders and keyset (cursor) pagination.

One function serves the GraphQL `products` connection and the storefront listings.
"""

import base64
import binascii
import enum
import json
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from marketplace.catalog.models import Product
from marketplace.errors import DomainError
from marketplace.text import fold

MAX_PAGE_SIZE = 100


class SortField(enum.Enum):
    NAME = "sort_name"
    PRICE = "price"
    CREATED_AT = "created_at"


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
    items: list[Product]
    has_next: bool
    has_previous: bool
    total_count: int

    def cursor(self, product: Product, sort: Sort) -> str:
        return encode_cursor(sort, product)


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
        raise DomainError("INVALID_CURSOR", "Con trỏ phân trang không hợp lệ.", "after")
    if name != sort.field.name or not isinstance(pk, int):
        raise DomainError(
            "INVALID_CURSOR", "Con trỏ phân trang thuộc một cách sắp xếp khác.", "after"
        )
    return value, pk


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


def apply_text_query(queryset: QuerySet, text: str) -> QuerySet:
    """Every folded word must appear in the product's name, producer, place or product set."""
    for word in fold(text).split()[:10]:
        queryset = queryset.filter(
            Q(sort_name__contains=word)
            | Q(producer__name__icontains=word)
            | Q(producer__slug__contains=word)
            | Q(producer__ward__codename__contains=word)
        )
    return queryset


def validate_page_size(first: int) -> int:
    if first < 0:
        raise DomainError("INVALID_PAGE_SIZE", "Tham số first không được âm.", "first")
    if first > MAX_PAGE_SIZE:
        raise DomainError(
            "PAGE_SIZE_TOO_LARGE",
            f"Tham số first tối đa là {MAX_PAGE_SIZE} (nhận {first}).",
            "first",
        )
    return first


def list_products(
    *,
    first: int,
    after: str | None = None,
    flt: ProductFilter | None = None,
    sort: Sort = Sort(),
    search: str | None = None,
    base: QuerySet | None = None,
) -> Page:
    validate_page_size(first)
    queryset = base if base is not None else Product.objects.published()
    queryset = apply_filter(queryset, flt or ProductFilter())
    if search and search.strip():
        queryset = apply_text_query(queryset, search)
    total = queryset.count()
    key = sort.field.value
    if after:
        value, pk = decode_cursor(after, sort)
        op = "lt" if sort.descending else "gt"
        queryset = queryset.filter(
            Q(**{f"{key}__{op}": value}) | Q(**{key: value, f"pk__{op}": pk})
        )
    order = [f"-{key}", "-pk"] if sort.descending else [key, "pk"]
    rows = list(queryset.for_listing().order_by(*order)[: first + 1])
    return Page(
        items=rows[:first], has_next=len(rows) > first, has_previous=bool(after), total_count=total
    )
