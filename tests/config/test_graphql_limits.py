"""The /graphql/ endpoint refuses abusive queries before running any SQL."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PAGE_FIELDS = "edges { node { sku name slug gtin stock price { amount } } }"


def nested_groups(depth: int) -> str:
    """{ ocopGroups { sets { group { sets { … name } } } } } with `depth` nested fields."""
    fields = ["ocopGroups"] + ["group" if level % 2 == 0 else "sets" for level in range(1, depth)]
    inner = "name"
    for name in reversed(fields):
        inner = f"{name} {{ {inner} }}"
    return f"{{ {inner} }}"


def aliased_pages(count: int, first: str = "100", spread: str = PAGE_FIELDS) -> str:
    return " ".join(f"p{i}: products(first: {first}) {{ {spread} }}" for i in range(count))


def test_query_deeper_than_the_limit_is_refused(graphql, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        body = graphql(nested_groups(settings.GRAPHQL_MAX_DEPTH + 1))
    assert body.get("data") is None
    assert "depth" in body["errors"][0]["message"]


def test_nested_lists_within_the_depth_limit_are_refused_by_cost(
    graphql, django_assert_max_num_queries
):
    """Groups and sets point at each other: 10 levels would be 13⁵ sets of group 1 alone."""
    with django_assert_max_num_queries(0):
        body = graphql(nested_groups(settings.GRAPHQL_MAX_DEPTH))
    assert body.get("data") is None
    assert "cost" in body["errors"][0]["message"]


def test_deep_query_with_small_lists_runs(graphql):
    inner = nested_groups(settings.GRAPHQL_MAX_DEPTH - 5)[len("{ ocopGroups ") : -2]
    body = graphql(
        "{ products(first: 2) { edges { node { productSet { group " + inner + " } } } } }"
    )
    assert "errors" not in body
    sets = body["data"]["products"]["edges"][0]["node"]["productSet"]["group"]["sets"]
    assert sets and sets[0]["group"]["sets"]


def test_query_costing_too_much_is_refused(graphql, django_assert_max_num_queries):
    query = f"{{ {aliased_pages(60)} }}"  # 60 aliased pages of 100 products
    assert len(query.encode()) < settings.GRAPHQL_MAX_QUERY_BYTES
    with django_assert_max_num_queries(0):
        body = graphql(query)
    assert body.get("data") is None
    message = body["errors"][0]["message"]
    assert "cost" in message and str(settings.GRAPHQL_MAX_COST) in message


def test_variable_page_size_is_costed_at_the_maximum(graphql):
    """`first: $n` cannot slip under the limit by hiding the number in a variable."""
    body = graphql(f"query($n: Int!) {{ {aliased_pages(60, first='$n')} }}", {"n": 1})
    assert "cost" in body["errors"][0]["message"]


def test_fragments_are_costed(graphql):
    fragment = f"fragment F on ProductConnection {{ {PAGE_FIELDS} }}"
    body = graphql(f"{fragment} {{ {aliased_pages(60, spread='...F')} }}")
    assert "cost" in body["errors"][0]["message"]


def test_reused_fragments_are_costed_once(graphql):
    """Each fragment spreads the next twice: 2³⁰ expansions if costed naively, which would hang."""
    levels = 30
    fragments = " ".join(
        f"fragment F{i} on OcopGroup {{ number ...F{i + 1} ...F{i + 1} }}" for i in range(levels)
    )
    query = f"{fragments} fragment F{levels} on OcopGroup {{ name }} {{ ocopGroups {{ ...F0 }} }}"
    body = graphql(query)
    assert "cost" in body["errors"][0]["message"]


def test_fragment_cycle_is_refused_not_crashed(graphql):
    query = "fragment A on OcopGroup { sets { group { ...A } } } { ocopGroups { ...A } }"
    body = graphql(query)
    assert body.get("data") is None
    assert any("itself" in error["message"] for error in body["errors"])


def test_a_few_full_pages_are_within_the_cost_limit(graphql):
    body = graphql(f"{{ {aliased_pages(3)} }}")
    assert "errors" not in body
    assert len(body["data"]["p2"]["edges"]) == 100


def test_oversized_body_is_refused(client):
    query = "{ ocopGroups { name } }" + " " * settings.GRAPHQL_MAX_QUERY_BYTES
    response = client.post("/graphql/", {"query": query}, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("{ ocopGroups { ...Missing } }", "Unknown fragment"),
        ("fragment A on OcopGroup { ...A } { ocopGroups { ...A } }", "itself"),
    ],
)
def test_broken_fragments_are_reported_not_crashed(graphql, query, words):
    body = graphql(query)
    assert any(words in error["message"] for error in body["errors"])


def test_introspection_is_not_limited_by_depth(graphql):
    """GraphiQL's schema query nests `ofType` deeply; it describes the schema, not data."""
    type_ref = "kind name"
    for _ in range(12):
        type_ref = f"kind name ofType {{ {type_ref} }}"
    body = graphql(f"{{ __schema {{ queryType {{ fields {{ name type {{ {type_ref} }} }} }} }} }}")
    assert "errors" not in body
    names = {field["name"] for field in body["data"]["__schema"]["queryType"]["fields"]}
    assert {"products", "product", "producer", "ocopGroups", "productSets"} <= names
