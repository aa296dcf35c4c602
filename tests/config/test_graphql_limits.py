"""The /graphql/ endpoint refuses abusive queries before running any SQL."""

import re

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


def test_introspection_is_not_limited_by_depth(graphql, settings):
    """GraphiQL's schema query nests `ofType` deeply; it describes the schema, not data."""
    settings.GRAPHQL_INTROSPECTION = True
    type_ref = "kind name"
    for _ in range(12):
        type_ref = f"kind name ofType {{ {type_ref} }}"
    body = graphql(f"{{ __schema {{ queryType {{ fields {{ name type {{ {type_ref} }} }} }} }} }}")
    assert "errors" not in body
    names = {field["name"] for field in body["data"]["__schema"]["queryType"]["fields"]}
    assert {"products", "product", "producer", "ocopGroups", "productSets"} <= names


def aliased(field: str, count: int, selection: str = "") -> str:
    return "{ " + " ".join(f"a{i}: {field} {selection}" for i in range(count)) + " }"


def test_coverage_aliases_are_refused_by_their_cost(graphql, django_assert_max_num_queries):
    """600 copies of ocopCoverage used to cost 1,200 and take 6 s of CPU."""
    query = aliased("ocopCoverage", 600, "{ share }")
    assert len(query.encode()) < settings.GRAPHQL_MAX_QUERY_BYTES
    with django_assert_max_num_queries(0):
        body = graphql(query)
    assert body.get("data") is None
    assert "cost" in body["errors"][0]["message"]


def cost(query: str) -> int:
    """The cost the limits rule gives a query (a zero budget makes it report the figure)."""
    from graphql import parse, validate

    from config.graphql_cost import query_limits_rule
    from config.schema import schema

    rule = query_limits_rule(max_depth=99, max_cost=0)
    errors = validate(schema.graphql_schema, parse(query), [rule])
    return int(re.search(r"Query cost (\d+)", errors[0].message).group(1))


def test_resolver_heavy_fields_cost_what_their_resolvers_do():
    plain = cost("{ productSets { code } }")
    assert cost("{ ocopCoverage { share } }") > 2_000 + plain
    assert cost("{ ocopSales { orders } }") > 2_000 + plain
    page = "edges { node { name } }"
    searched = cost(f'{{ products(first: 10, search: "mắm") {{ {page} }} }}')
    assert searched - cost(f"{{ products(first: 10) {{ {page} }} }}") == 1_000
    assert cost("{ products(first: 10) { facets { stars { key } } } }") > 1_000
    assert cost('{ traceBatch(gtin: "1", lot: "A") { chainValid } }') > 500


def test_every_priced_field_and_argument_exists():
    """A renamed field must not silently drop back to costing 1."""
    from config.graphql_cost import ARGUMENT_COSTS, FIELD_COSTS
    from config.schema import schema

    for where in [*FIELD_COSTS, *ARGUMENT_COSTS]:
        type_name, field, *argument = where.split(".")
        definition = schema.graphql_schema.get_type(type_name).fields[field]
        assert not argument or argument[0] in definition.args, where


def test_one_field_under_too_many_aliases_is_refused(graphql, django_assert_max_num_queries):
    allowed = settings.GRAPHQL_MAX_ALIASES
    assert "errors" not in graphql(aliased('product(sku: "x")', allowed, "{ name }"))
    with django_assert_max_num_queries(0):
        body = graphql(aliased('product(sku: "x")', allowed + 1, "{ name }"))
    assert body.get("data") is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["TOO_MANY_ALIASES"]


def test_150_order_lookups_in_one_request_are_refused_before_any_lookup(
    graphql, django_assert_max_num_queries
):
    guesses = " ".join(
        f'o{i}: order(number: "AG{i:06d}", phone: "0912345678") {{ number }}' for i in range(150)
    )
    with django_assert_max_num_queries(0):
        body = graphql(f"{{ {guesses} }}")
    assert body.get("data") is None
    assert "TOO_MANY_ALIASES" in [e.get("extensions", {}).get("code") for e in body["errors"]]


def test_aliases_hidden_in_fragments_are_counted(graphql):
    halves = [" ".join(f'{h}{i}: product(sku: "x") {{ name }}' for i in range(6)) for h in "ab"]
    query = (
        f"fragment A on Query {{ {halves[0]} }} fragment B on Query {{ {halves[1]} }} "
        "{ ...A ...B }"
    )
    assert "TOO_MANY_ALIASES" in [
        e.get("extensions", {}).get("code") for e in graphql(query)["errors"]
    ]
