"""The product listing: filters, sorting, search, keyset pages, bad input, query counts."""

import base64
import json
import re
from html import unescape

import pytest
from django.urls import reverse

from marketplace.catalog.models import Product
from tests.marketplace.catalog import sample

pytestmark = pytest.mark.django_db
PRODUCTS = reverse("storefront:products")


def get(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    return response


def skus_of(response) -> list[str]:
    return [p.sku for p in response.context["page"].items]


def walk(client, url, params=None) -> list[str]:
    """Follow the "Trang sau" links from the first page to the last, like a shopper would."""
    seen: list[str] = []
    response = get(client, url, params)
    while True:
        seen += skus_of(response)
        html = response.content.decode()
        link = re.search(r'<a class="next" rel="next" href="([^"]+)"', html)
        if not link:
            return seen
        assert "Trang sau" in html
        response = get(client, url + unescape(link.group(1)))


def published(predicate=lambda row: True) -> set[str]:
    return {row["sku"] for row in sample.published() if predicate(row)}


def test_listing_counts_and_pages_through_every_published_product(client):
    response = get(client, PRODUCTS)
    total = len(sample.published())
    assert response.context["page"].total_count == total
    assert f"{total} sản phẩm" in response.content.decode()
    assert len(skus_of(response)) == 24
    walked = walk(client, PRODUCTS)
    assert len(walked) == total and set(walked) == published()


@pytest.mark.parametrize(
    ("params", "predicate"),
    [
        ({"stars": ["4", "5"]}, lambda r: r["stars"] in {"4", "5"}),
        ({"set": "1.8"}, lambda r: r["ocop_set"] == "1.8"),
        ({"ward": "30337"}, lambda r: sample.ward_of(r) == "30337"),
        (
            {"price_min": "100000", "price_max": "200000"},
            lambda r: 100000 <= int(r["price_vnd"]) <= 200000,
        ),
        ({"in_stock": "1"}, lambda r: r["stock"] != "0"),
        ({"stars": "3", "in_stock": "1"}, lambda r: r["stars"] == "3" and r["stock"] != "0"),
    ],
)
def test_filters_match_the_sample_csv(client, params, predicate):
    assert set(walk(client, PRODUCTS, params)) == published(predicate)


def test_product_set_page_lists_only_that_set(client):
    url = reverse("storefront:product_set", args=["1.8"])
    response = get(client, url)
    html = response.content.decode()
    assert "<h1>Chế biến từ thịt, trứng, sữa, cá, mật ong</h1>" in html
    assert set(walk(client, url)) == published(lambda r: r["ocop_set"] == "1.8")
    # Filters combine with the set from the path, and the set picker is not offered.
    assert set(walk(client, url, {"stars": "4"})) == published(
        lambda r: r["ocop_set"] == "1.8" and r["stars"] == "4"
    )
    assert 'name="set"' not in html


def test_a_set_with_nothing_on_sale_gives_an_empty_page_not_everything(client):
    response = get(client, PRODUCTS, {"set": "5.3"})
    html = response.content.decode()
    assert response.context["page"].total_count == 0
    assert "Không có sản phẩm nào khớp" in html and "bỏ qua" not in html


def test_search_pages_in_relevance_order_unless_sorted(client):
    first = get(client, PRODUCTS, {"q": "cá"})
    assert first.context["query"].sort_key == "relevance"
    assert 'value="relevance" selected' in first.content.decode()
    walked = walk(client, PRODUCTS, {"q": "cá"})
    assert len(walked) == len(set(walked)) == first.context["page"].total_count > 24
    by_price = walk(client, PRODUCTS, {"q": "cá", "sort": "price"})
    assert set(by_price) == set(walked)
    prices = {r["sku"]: int(r["price_vnd"]) for r in sample.published()}
    assert [prices[s] for s in by_price] == sorted(prices[s] for s in walked)


def test_relevance_is_not_offered_without_a_search(client):
    response = get(client, PRODUCTS, {"sort": "relevance"})
    assert response.context["query"].sort_key == "name"
    assert 'value="relevance"' not in response.content.decode()


def test_search_passes_through_to_the_catalog(client):
    response = get(client, PRODUCTS, {"q": "mam thai chau doc"})
    skus = set(skus_of(response))
    assert {"AG0001-01", "AG0003-02"} <= skus
    html = response.content.decode()
    assert "Kết quả cho “mam thai chau doc”" in html
    assert 'value="mam thai chau doc"' in html


@pytest.mark.parametrize(
    ("sort", "key", "reverse_order"),
    [
        ("price", lambda r: (int(r["price_vnd"]),), False),
        ("price_desc", lambda r: (int(r["price_vnd"]),), True),
    ],
)
def test_sort_by_price_across_pages(client, sort, key, reverse_order):
    walked = walk(client, PRODUCTS, {"sort": sort})
    prices = {r["sku"]: key(r) for r in sample.published()}
    assert [prices[s] for s in walked] == sorted(prices.values(), reverse=reverse_order)


@pytest.mark.parametrize(
    ("sort", "order"),
    [({}, ["sort_name", "pk"]), ({"sort": "newest"}, ["-created_at", "-pk"])],
)
def test_name_and_newest_orders_across_pages(client, sort, order):
    expected = list(Product.objects.published().order_by(*order).values_list("sku", flat=True))
    assert walk(client, PRODUCTS, sort) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"stars": "abc"},
        {"price_min": "-5"},
        {"price_max": "nhiều"},
        {"ward": "99999"},
        {"set": "<script>"},
        {"sort": "drop table"},
        {"q": "x" * 500},
    ],
)
def test_invalid_filter_values_are_ignored_with_a_message(client, params):
    response = get(client, PRODUCTS, params)
    html = response.content.decode()
    assert "Đã bỏ qua giá trị không hợp lệ" in html
    assert response.context["page"].total_count == len(sample.published())
    assert "<script>" not in html.split("<main", 1)[1]


def forged(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(parts).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("name", "zzz"),
        ("name", "!!"),
        ("name", "eyJ4IjogMX0"),
        ("name", forged("NAME", [1], 1)),
        ("price", forged("PRICE", "abc", 1)),
        ("price", forged("PRICE", None, 1)),
        ("newest", forged("CREATED_AT", "garbage", 1)),
        ("newest", forged("CREATED_AT", 5, 1)),
    ],
)
def test_a_bad_cursor_falls_back_to_the_first_page(client, sort, cursor):
    response = get(client, PRODUCTS, {"sort": sort, "after": cursor})
    assert "Liên kết trang không còn đúng" in response.content.decode()
    assert skus_of(response) == skus_of(get(client, PRODUCTS, {"sort": sort}))


def test_a_cursor_from_another_sort_falls_back_to_the_first_page(client):
    html = get(client, PRODUCTS, {"sort": "price"}).content.decode()
    cursor = re.search(r"after=([^&\"]+)", unescape(html)).group(1)
    response = get(client, PRODUCTS, {"sort": "name", "after": cursor})
    assert "Liên kết trang không còn đúng" in response.content.decode()


def test_the_filter_form_keeps_what_was_chosen(client):
    html = get(
        client, PRODUCTS, {"stars": "4", "ward": "30337", "price_min": "1000", "in_stock": "1"}
    ).content.decode()
    assert re.search(r'value="4" checked', html)
    assert re.search(r'value="30337" selected', html)
    assert 'name="price_min" min="0" step="1000" inputmode="numeric" value="1000"' in html
    assert re.search(r'name="in_stock" value="1" checked', html)


@pytest.mark.parametrize(
    ("url", "most"),
    [
        (PRODUCTS, 6),
        (PRODUCTS + "?stars=3&in_stock=1&sort=price", 6),
        (reverse("storefront:product_set", args=["1.8"]), 6),
        # A search adds its own look-ups plus the quick-filter facets (one grouped count per
        # facet and their labels): more queries, but never one per product. In relevance order
        # the candidates are ranked in a query of their own, before the page is fetched.
        (PRODUCTS + "?q=cá", 14),
        (PRODUCTS + "?q=cá&sort=price&stars=3", 13),
    ],
)
def test_listing_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, url, most
):
    with django_assert_max_num_queries(most):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["page"].items) == 24


def test_other_pages_run_few_queries(client, django_assert_max_num_queries):
    # Home: popular (2), newest (2), best stars (2), sets, groups, wards — whatever the size.
    with django_assert_max_num_queries(9):
        assert client.get(reverse("storefront:home")).status_code == 200
    with django_assert_max_num_queries(4):
        assert (
            client.get(
                reverse("storefront:producer", args=["htx-dich-vu-nong-nghiep-an-phu"])
            ).status_code
            == 200
        )
    # Product: itself (2), latest lot and its steps (2), delivery province and list (2),
    # the producer's other products (2).
    with django_assert_max_num_queries(8):
        assert (
            client.get(reverse("storefront:product", args=["mam-thai-chau-doc"])).status_code == 200
        )
