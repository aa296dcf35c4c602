"""`products` as the contract states it, checked against the sample CSVs, not the code itself."""

import datetime
from urllib.parse import urljoin

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from marketplace.catalog.images import ensure_placeholder
from marketplace.catalog.models import Product
from tests.marketplace.catalog import sample

pytestmark = pytest.mark.django_db

CONTRACT_FIELDS = """
  id sku gtin name slug ocopStars description
  ocopCertificate { number expiresOn valid }
  producer { name kind ward { code name } }
  price { amount currency }
  stock status thumbnailUrl(size: 200)
"""

PAGE = """
query Page($first: Int!, $after: String, $filter: ProductFilterInput, $sortBy: ProductSortInput) {
  products(first: $first, after: $after, filter: $filter, sortBy: $sortBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { %s } }
  }
}
"""


def page(graphql, fields: str = "sku", **variables) -> dict:
    body = graphql(PAGE % fields, {"first": 100, **variables})
    assert "errors" not in body, body.get("errors")
    return body["data"]["products"]


def walk(graphql, fields: str = "sku", first: int = 100, **variables) -> list[dict]:
    """Every node, following endCursor until hasNextPage is false."""
    nodes, after, pages = [], None, 0
    while True:
        result = page(graphql, fields, first=first, after=after, **variables)
        nodes += [edge["node"] for edge in result["edges"]]
        pages += 1
        assert result["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not result["pageInfo"]["hasNextPage"]:
            assert result["totalCount"] == len(nodes)
            return nodes
        after = result["pageInfo"]["endCursor"]
        assert after == result["edges"][-1]["cursor"]
        assert pages < 200, "pagination does not end"


def skus(nodes) -> list[str]:
    return [node["sku"] for node in nodes]


def test_every_contract_field_resolves_as_in_the_csv(graphql):
    nodes = {node["sku"]: node for node in walk(graphql, CONTRACT_FIELDS)}
    today = timezone.localdate()
    assert set(nodes) == {row["sku"] for row in sample.published()}
    for row in sample.published():
        node = nodes[row["sku"]]
        producer = sample.producers()[row["producer_code"]]
        assert node["id"]
        assert node["gtin"] == row["gtin"]
        assert node["name"] == row["name"]
        assert node["slug"]
        assert node["ocopStars"] == int(row["stars"])
        assert node["description"] == row["description"]
        issued = datetime.date.fromisoformat(row["certified_on"])
        expires = datetime.date.fromisoformat(row["expires_on"])
        assert node["ocopCertificate"] == {
            "number": row["certificate_no"],
            "expiresOn": row["expires_on"],
            "valid": issued <= today <= expires,
        }
        assert node["producer"] == {
            "name": producer["name"],
            "kind": producer["kind"].upper(),
            "ward": {"code": producer["ward_code"], "name": producer["ward_name"]},
        }
        assert node["price"] == {"amount": int(row["price_vnd"]), "currency": "VND"}
        assert node["stock"] == int(row["stock"])
        assert node["status"] == "PUBLISHED"
        assert node["thumbnailUrl"] is None  # the session catalog has no images


def expected(predicate) -> set[str]:
    return {row["sku"] for row in sample.published() if predicate(row)}


def _some_wards() -> list[str]:
    return sorted({sample.ward_of(row) for row in sample.published()})[:3]


def _some_producers() -> list[str]:
    return sorted({row["producer_code"] for row in sample.published()})[5:8]


def _a_price() -> int:
    return sorted(int(row["price_vnd"]) for row in sample.published())[60]


FILTERS = {
    "ocopSets": (
        lambda: {"ocopSets": ["1.8", "2.1"]},
        lambda row: row["ocop_set"] in {"1.8", "2.1"},
    ),
    "stars": (lambda: {"stars": [4, 5]}, lambda row: row["stars"] in {"4", "5"}),
    "wardCodes": (
        lambda: {"wardCodes": _some_wards()},
        lambda row: sample.ward_of(row) in _some_wards(),
    ),
    "producerCodes": (
        lambda: {"producerCodes": _some_producers()},
        lambda row: row["producer_code"] in _some_producers(),
    ),
    # The bound is a price that occurs: both ends are inclusive.
    "priceMin": (
        lambda: {"priceMin": _a_price()},
        lambda row: int(row["price_vnd"]) >= _a_price(),
    ),
    "priceMax": (
        lambda: {"priceMax": _a_price()},
        lambda row: int(row["price_vnd"]) <= _a_price(),
    ),
    "priceRange": (
        lambda: {"priceMin": 100_000, "priceMax": _a_price()},
        lambda row: 100_000 <= int(row["price_vnd"]) <= _a_price(),
    ),
    "inStock": (lambda: {"inStock": True}, lambda row: int(row["stock"]) > 0),
    "outOfStock": (lambda: {"inStock": False}, lambda row: int(row["stock"]) == 0),
    "combined": (
        lambda: {"stars": [3], "inStock": True, "ocopSets": ["1.8", "1.9"]},
        lambda row: (
            row["stars"] == "3" and int(row["stock"]) > 0 and row["ocop_set"] in {"1.8", "1.9"}
        ),
    ),
    "noMatch": (lambda: {"ocopSets": ["5.3"], "stars": [5]}, lambda row: False),
}


@pytest.mark.parametrize("name", FILTERS)
def test_filter_matches_an_independent_computation(graphql, name):
    make_filter, predicate = FILTERS[name]
    want = expected(predicate)
    assert name == "noMatch" or 0 < len(want) < len(sample.published())
    got = skus(walk(graphql, filter=make_filter()))
    assert len(got) == len(set(got))
    assert set(got) == want


SORTS = [
    (field, direction) for field in ("NAME", "PRICE", "CREATED_AT") for direction in ("ASC", "DESC")
]


@pytest.mark.parametrize(("field", "direction"), SORTS)
def test_keyset_pagination_walks_everything_in_order(graphql, field, direction):
    """Small pages across ties (equal prices, equal creation times): no duplicate, no gap."""
    nodes = walk(
        graphql, "sku price { amount }", first=17, sortBy={"field": field, "direction": direction}
    )
    got = skus(nodes)
    assert len(got) == len(set(got)) == len(sample.published())
    assert set(got) == expected(lambda row: True)

    descending = direction == "DESC"
    order = {"NAME": "sort_name", "PRICE": "price", "CREATED_AT": "created_at"}[field]
    keys = [f"-{order}", "-pk"] if descending else [order, "pk"]
    assert got == list(Product.objects.published().order_by(*keys).values_list("sku", flat=True))
    if field == "PRICE":
        prices = [node["price"]["amount"] for node in nodes]
        assert prices == sorted(prices, reverse=descending)
    if field == "NAME":
        # First letters in a–z order on every database collation, with "Đ…" among the "D…".
        names = dict(Product.objects.values_list("sku", "sort_name"))
        initials = [names[sku][0] for sku in got]
        assert initials == sorted(initials, reverse=descending)


def test_sort_by_name_puts_d_stroke_with_d(graphql):
    got = skus(walk(graphql, "sku name", sortBy={"field": "NAME"}))
    names = dict(Product.objects.values_list("sku", "name"))
    initials = [names[sku][0].upper() for sku in got]
    assert "Đ" in initials
    first_after_d = next(i for i, c in enumerate(initials) if c > "D" and c != "Đ")
    assert all(i < first_after_d for i, c in enumerate(initials) if c == "Đ")


def test_filtered_and_sorted_pages_combine(graphql):
    nodes = walk(
        graphql,
        "sku price { amount }",
        first=5,
        filter={"stars": [4, 5]},
        sortBy={"field": "PRICE", "direction": "DESC"},
    )
    assert set(skus(nodes)) == expected(lambda row: row["stars"] in {"4", "5"})
    prices = [node["price"]["amount"] for node in nodes]
    assert prices == sorted(prices, reverse=True)


def test_default_sort_is_by_name(graphql):
    got = skus(walk(graphql))
    assert got == list(
        Product.objects.published().order_by("sort_name", "pk").values_list("sku", flat=True)
    )


def errors_of(body: dict) -> list[dict]:
    assert body.get("data") is None or body["data"].get("products") is None
    return body["errors"]


def test_first_above_100_is_refused_with_a_code(graphql):
    (error,) = errors_of(graphql(PAGE % "sku", {"first": 101}))
    assert error["extensions"]["code"] == "PAGE_SIZE_TOO_LARGE"
    assert error["extensions"]["field"] == "first"
    assert "100" in error["message"]


def test_first_100_is_allowed(graphql):
    assert len(page(graphql, first=100)["edges"]) == 100


def test_negative_first_is_refused(graphql):
    (error,) = errors_of(graphql(PAGE % "sku", {"first": -1}))
    assert error["extensions"]["code"] == "INVALID_PAGE_SIZE"


@pytest.mark.parametrize("cursor", ["not-a-cursor", "!!!", "W10", "eyJhIjogMX0"])
def test_bad_cursor_is_refused_with_a_code(graphql, cursor):
    (error,) = errors_of(graphql(PAGE % "sku", {"first": 5, "after": cursor}))
    assert error["extensions"] == {"code": "INVALID_CURSOR", "field": "after"}
    assert error["message"]


def test_cursor_of_another_sort_is_refused(graphql):
    cursor = page(graphql, first=2, sortBy={"field": "PRICE"})["pageInfo"]["endCursor"]
    body = graphql(PAGE % "sku", {"first": 2, "after": cursor, "sortBy": {"field": "NAME"}})
    (error,) = errors_of(body)
    assert error["extensions"]["code"] == "INVALID_CURSOR"


def test_listing_runs_a_constant_number_of_queries(graphql, django_assert_max_num_queries):
    """Producer, ward, certificate, stock and thumbnails of 100 products: no N+1."""
    with_images = list(Product.objects.published().select_related("product_set", "certificate")[:4])
    for product in with_images:
        ensure_placeholder(product)
    fields = """sku price { amount } stock thumbnailUrl(size: 200)
        producer { name kind ward { code name } }
        ocopCertificate { number expiresOn valid }"""
    filter_ = {"producerCodes": sorted({p.producer.code for p in with_images})}

    with django_assert_max_num_queries(4):
        first_page = page(graphql, fields, first=100)
    assert len(first_page["edges"]) == 100
    with django_assert_max_num_queries(4):
        nodes = page(graphql, fields, first=100, filter=filter_)["edges"]

    thumbnails = {edge["node"]["sku"]: edge["node"]["thumbnailUrl"] for edge in nodes}
    # /media/ on local disk, the public bucket's own address when media are in S3.
    media = urljoin("http://testserver", default_storage.url("products/"))
    for product in with_images:
        url = thumbnails[product.sku]
        assert url.startswith(media)
        assert url.endswith("_320.webp")  # 200 px asked, the next stored size served
