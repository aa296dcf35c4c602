"""config/graphql_execution.py: the quicker executor answers exactly as graphql-core's own, on
the app's schema and on the cases its shortcuts could get wrong; documents are parsed and
validated once, yet every request still gets its errors (issue 16, item 7)."""

from datetime import date
from types import SimpleNamespace

import graphene
import pytest
from graphql import ExecutionContext, execute, parse

from config import graphql_execution
from config.graphql_execution import SyncExecutionContext, parsed


class Child(graphene.ObjectType):
    value = graphene.String(required=True)
    boom = graphene.String(required=True)

    @staticmethod
    def resolve_boom(child, info):
        raise ValueError("boom")


class Loose(graphene.Scalar):
    """A scalar that serialises anything, and "nothing" as null."""

    @staticmethod
    def serialize(value):
        return None if value == "nothing" else str(value)


class Holder(graphene.ObjectType):
    text = graphene.String()
    required_text = graphene.String(required=True)
    number = graphene.Int()
    required_number = graphene.Int(required=True)
    kind = graphene.Field(graphene.Enum("Kind", [("HTX", "htx"), ("FIRM", "firm")]))
    child = graphene.Field(Child)
    required_child = graphene.Field(Child, required=True)
    children = graphene.List(Child)
    ident = graphene.ID()
    # fields with resolvers of their own, and arguments (issue 16: their plans)
    label = graphene.String(size=graphene.Int(required=True))
    required_label = graphene.String(required=True, size=graphene.Int())
    day = graphene.Date()
    failure = graphene.String()
    loose = Loose()
    resolved_child = graphene.Field(Child, n=graphene.Int())

    @staticmethod
    def resolve_label(holder, info, size):
        if size < 0:
            raise ValueError("negative size")
        if size == 13:
            return object()  # not a string
        return None if size == 0 else f"{_text(holder)}-{size}"

    @staticmethod
    def resolve_required_label(holder, info, size=1):
        return None if size == 0 else f"{_text(holder)}:{size}"

    @staticmethod
    def resolve_day(holder, info):
        return date(2026, 12, 2) if _text(holder) == "a" else "not a date"

    @staticmethod
    def resolve_failure(holder, info):
        return ValueError("returned, not raised")

    @staticmethod
    def resolve_loose(holder, info):
        return ValueError("returned, not raised") if _text(holder) == "a" else "nothing"

    @staticmethod
    def resolve_resolved_child(holder, info, n=None):
        return None if n is None else SimpleNamespace(value=f"child {n}")


def _text(holder):
    return holder.get("text") if isinstance(holder, dict) else getattr(holder, "text", None)


class Query(graphene.ObjectType):
    holders = graphene.List(Holder)

    @staticmethod
    def resolve_holders(root, info):
        good = {"text": "a", "required_text": "b", "number": 1, "required_number": 2}
        return [
            SimpleNamespace(
                **good,
                kind="htx",
                child=SimpleNamespace(value="v"),
                required_child=SimpleNamespace(value="w"),
                children=[SimpleNamespace(value="x")],
                ident="h-1",
            ),  # fmt: skip
            {**good, "kind": "firm", "child": {"value": "d"}, "required_child": {"value": "e"}},
            # nulls where the schema forbids them, values that do not serialise
            SimpleNamespace(
                text=None,
                required_text=None,
                number="many",
                required_number=float("nan"),
                kind="unknown",
                child=SimpleNamespace(value=None),
                required_child=None,
                children=None,
            ),  # fmt: skip
            SimpleNamespace(),  # nothing at all
            SimpleNamespace(text=ValueError("an error as the value"), child=ValueError("too")),
        ]


SCHEMA = graphene.Schema(query=Query).graphql_schema

LABELS = (
    "{ holders { label(size: 3) l0: label(size: 0) neg: label(size: -1) odd: label(size: 13) } }"
)
DAYS = "{ holders { day failure loose } }"
VARIABLE_CHILD = ("query ($n: Int) { holders { resolvedChild(n: $n) { value } } }", {"n": 7})
DOCUMENTS = [
    "{ holders { text requiredText number kind child { value } requiredChild { value } } }",
    "{ holders { text } }",
    "{ holders { requiredText } }",
    "{ holders { number } }",
    "{ holders { requiredNumber } }",
    "{ holders { kind } }",
    "{ holders { child { value } } }",
    "{ holders { child { boom } } }",
    "{ holders { requiredChild { value boom } } }",
    "{ holders { children { value } } }",
    "{ holders { t: text, t2: text, __typename child { __typename } } }",
    "{ holders { ... on Holder { text child { ... V } } } } fragment V on Child { value }",
    "{ holders { ident } }",
    LABELS,
    "{ holders { requiredLabel } }",
    "{ holders { text requiredLabel(size: 0) } }",
    DAYS,
    "{ holders { resolvedChild { value } c1: resolvedChild(n: 1) { value } } }",
    "{ holders { resolvedChild(n: 2) { value boom } } }",
    '{ holders { label(size: "x") } }',  # not validated here: the arguments do not coerce
    ("query ($s: Int!) { holders { label(size: $s) } }", {"s": 4}),
    ("query ($s: Int!) { holders { label(size: $s) } }", {"s": -4}),
    VARIABLE_CHILD,
]


def run(document, context_class, schema=SCHEMA, middleware=None, context_value=None):
    document, variables = document if isinstance(document, tuple) else (document, None)
    result = execute(
        schema,
        parse(document),
        variable_values=variables,
        execution_context_class=context_class,
        middleware=middleware,
        context_value=context_value,
    )
    return result.formatted


@pytest.mark.parametrize("document", DOCUMENTS)
def test_answers_and_errors_as_graphql_core(document):
    assert run(document, SyncExecutionContext) == run(document, ExecutionContext)


def test_the_cases_above_do_reach_errors():
    """The comparison is not between two empty answers."""
    errors = run("{ holders { requiredChild { value boom } } }", ExecutionContext)["errors"]
    assert errors and all(e["message"] for e in errors)
    assert run("{ holders { number } }", ExecutionContext)["errors"]
    labels = run(LABELS, ExecutionContext)
    assert labels["data"]["holders"][0]["label"] == "a-3"
    assert {e["path"][-1] for e in labels["errors"]} == {"neg", "odd"}
    days = run(DAYS, ExecutionContext)
    assert days["data"]["holders"][0]["day"] == "2026-12-02"
    assert {tuple(e["path"][1:]) for e in days["errors"]} >= {
        (0, "failure"),
        (0, "loose"),
        (1, "loose"),
        (2, "day"),
    }
    assert run(VARIABLE_CHILD, ExecutionContext)["data"]["holders"][0] == {
        "resolvedChild": {"value": "child 7"}
    }


def test_the_shortcuts_are_taken(monkeypatch):
    """Arguments are read once per field of the document, not once per object; a field read by
    attribute never goes through graphql-core's execute_field."""
    calls = {"arguments": 0, "execute_field": 0}
    real_arguments = graphql_execution.get_argument_values
    real_execute_field = ExecutionContext.execute_field

    def arguments(*args):
        calls["arguments"] += 1
        return real_arguments(*args)

    def execute_field(*args):
        calls["execute_field"] += 1
        return real_execute_field(*args)

    monkeypatch.setattr(graphql_execution, "get_argument_values", arguments)
    monkeypatch.setattr(SyncExecutionContext, "execute_field", execute_field)
    assert not run("{ holders { ident label(size: 3) } }", SyncExecutionContext).get("errors")
    assert calls == {"arguments": 1, "execute_field": 1}  # the root field has its resolver


def test_with_middleware_every_field_passes_through_it():
    seen = {"default": [], "sync": []}

    def recording(into):
        def middleware(next_, root, info, **args):
            into.append(info.field_name)
            return next_(root, info, **args)

        return middleware

    document = "{ holders { text child { value } } }"
    run(document, ExecutionContext, middleware=[recording(seen["default"])])
    run(document, SyncExecutionContext, middleware=[recording(seen["sync"])])
    assert seen["sync"] == seen["default"] and "value" in seen["sync"]


@pytest.mark.django_db
def test_the_app_schema_answers_as_with_graphql_core(rf):
    from django.contrib.auth.models import AnonymousUser

    from config.schema import schema

    request = rf.post("/graphql/")
    request.user = AnonymousUser()
    document = """{ products(first: 20) { totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id sku name nameEn ocopStars price { amount currency } stock
        status createdAt url thumbnailUrl t640: thumbnailUrl(size: 640, format: "jpg")
        ocopCertificate { number valid issuedOn v: valid(on: "2020-01-01") }
        producer { id name kind latitude ward { code name provinceCode } }
        productSet { code group { number sets { code } } } rating { average count } } } }
        ocopGroups { number sets { code name } } }"""
    sync = run(document, SyncExecutionContext, schema.graphql_schema, context_value=request)
    assert "errors" not in sync
    assert sync == run(document, ExecutionContext, schema.graphql_schema, context_value=request)


# --- the document cache, through the endpoint ------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["{ products(first: 1) { edges { node { sku } }", "{ products(first: 1) { nope } }"]
)
def test_a_bad_document_is_refused_every_time(graphql, query):
    first, second = graphql(query), graphql(query)
    assert first["errors"] and first == second
    assert "data" not in first or first["data"] is None


@pytest.mark.django_db
def test_introspection_follows_the_setting_for_the_same_text(graphql, settings):
    query = "{ __schema { queryType { name } } }"
    assert graphql(query)["errors"]
    settings.GRAPHQL_INTROSPECTION = True
    assert graphql(query)["data"]["__schema"]["queryType"]["name"] == "Query"
    settings.GRAPHQL_INTROSPECTION = False
    assert graphql(query)["errors"]


@pytest.mark.django_db
def test_long_documents_are_not_kept_but_still_validated(graphql):
    deep = "{ productSets { group { sets { group { sets { group { sets { group { sets { group "
    deep += "{ sets { code } } } } } } } } } } } }"
    padded = deep + " " * graphql_execution.CACHED_QUERY_LENGTH
    assert parsed(padded) is not parsed(padded)
    short = "{ productSets { code } }"
    assert parsed(short) is parsed(short)
    for query in (deep, padded, padded):
        errors = graphql(query)["errors"]
        assert any("exceeds maximum operation depth" in e["message"] for e in errors)
