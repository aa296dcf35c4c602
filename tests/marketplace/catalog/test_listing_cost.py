"""What a product page costs the database: counted only when asked, cards without long texts,
and a search in a fixed number of round trips (issue 16, item 7). Query counts, never timings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.catalog.models import Product

pytestmark = pytest.mark.django_db

NODE = "sku name price { amount } producer { name ward { code } } thumbnailUrl(size: 200)"


def products(graphql, selection: str, **variables) -> tuple[dict, list[str]]:
    query = f"""query Page($first: Int!, $search: String) {{
      products(first: $first, search: $search) {{ {selection} }} }}"""
    if "...Long" in selection:
        query += " fragment Long on Product { description }"
    with CaptureQueriesContext(connection) as captured:
        body = graphql(query, {"first": 100, **variables})
    assert "errors" not in body, body.get("errors")
    return body["data"]["products"], [q["sql"] for q in captured.captured_queries]


def counts(statements: list[str]) -> int:
    return sum("COUNT(" in sql.upper() for sql in statements)


def test_a_listing_counts_its_rows_only_when_total_count_is_asked(graphql):
    page, statements = products(graphql, f"edges {{ node {{ {NODE} }} }}")
    assert len(page["edges"]) == 100
    assert counts(statements) == 0
    assert len(statements) == 1  # the cards: each product joined with its first picture

    page, statements = products(graphql, f"totalCount edges {{ node {{ {NODE} }} }}")
    assert page["totalCount"] == Product.objects.published().count()
    assert counts(statements) == 1 and len(statements) == 2


def description_columns(statements: list[str]) -> list[str]:
    return [
        column
        for column in ('"catalog_product"."description"', '"producers_producer"."description"')
        if any(column in sql for sql in statements)
    ]


def test_cards_are_loaded_without_descriptions(graphql):
    _, statements = products(graphql, f"edges {{ node {{ {NODE} }} }}")
    assert description_columns(statements) == []
    _, statements = products(graphql, f"edges {{ node {{ {NODE} }} }}", search="nước mắm")
    assert description_columns(statements) == []


@pytest.mark.parametrize(
    "selection",
    [
        f"edges {{ node {{ {NODE} description }} }}",
        f"edges {{ node {{ {NODE} ...Long }} }}",  # through a fragment too
        f"edges {{ ... on ProductCountableEdge {{ node {{ {NODE} description }} }} }}",
    ],
)
def test_asked_descriptions_come_with_the_page_not_one_query_each(graphql, selection):
    page, statements = products(graphql, selection)
    assert len(statements) == 1
    expected = dict(Product.objects.published().values_list("sku", "description"))
    assert {e["node"]["sku"]: e["node"]["description"] for e in page["edges"]} == {
        sku: expected[sku] for sku in (e["node"]["sku"] for e in page["edges"])
    }


@pytest.mark.parametrize(
    "search",
    [
        "nước mắm",  # every word matches, the last one as typed so far
        "mật ong",
        "bánh pía",  # no product has both words: relaxed, in the same statement
        "nuowcs mawms",  # Telex decoded
        "mam thai chau doc",
    ],
)
def test_a_search_page_is_four_queries(graphql, search):
    """The words and word starts in one look-up, candidates + count + rank + page in one
    statement, then the page's products and their images."""
    page, statements = products(graphql, f"totalCount edges {{ node {{ {NODE} }} }}", search=search)
    assert page["edges"], search
    assert len(statements) == 4, statements
    assert counts(statements) == 1  # inside the search statement


def test_a_joined_word_costs_one_more_look_up(graphql):
    page, statements = products(graphql, f"edges {{ node {{ {NODE} }} }}", search="#nuocmam")
    assert page["edges"]
    assert len(statements) == 5
