"""Every URL and every GraphQL root field declares who may use it, and the declaration holds.

Views carry `@requires(Permission.X)` (config.guards), the portal's `member_required` /
`owner_required`, or `@public(reason)`; GraphQL query resolvers `@requires(...)` (graphql.core)
or `@public(reason)`; mutations a `permission` or a `public` reason (DomainMutation). The walk
fails on anything undeclared, so a new endpoint cannot ship without a policy; then it calls each
protected one anonymously (and as a signed-in shopper) and checks that the answer is a refusal.
Django admin pages are governed by the admin site itself (active staff): each is probed too.
"""

import pytest
from django.urls import URLPattern, path, resolve
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)

from config.schema import schema
from marketplace import access
from marketplace.access import Permission
from tests.urls_walk import SIGN_IN_PAGES, endpoints

pytestmark = pytest.mark.django_db

SIGNED_IN_ONLY = {Permission.SIGNED_IN}  # a shopper passes these; the scope answers 404


def _is_admin(url: str, entry: URLPattern) -> bool:
    return url.startswith("/admin/") and resolve(url).namespace == "admin"


def undeclared_views(walk) -> list[str]:
    return [
        f"{url} ({entry.name})"
        for url, entry in walk
        if access.policy_of(entry.callback) is None and not _is_admin(url, entry)
    ]


def _refused(response, login_pages=SIGN_IN_PAGES) -> bool:
    if response.status_code in (401, 403, 405):
        return True
    location = response.get("Location", "")
    return response.status_code == 302 and location.split("?")[0] in login_pages


def test_every_url_declares_a_policy():
    walk = list(endpoints())
    assert len(walk) > 100  # the walk sees the whole project, admin included
    for url, entry in walk:
        assert resolve(url).func is entry.callback, f"sample {url} resolves elsewhere"
    missing = undeclared_views(walk)
    assert not missing, "views without @requires / member_required / @public: " + ", ".join(missing)
    for url, entry in walk:
        policy = access.policy_of(entry.callback)
        if policy is not None and policy.permission is None:
            assert policy.reason, url


def test_the_walk_notices_an_undeclared_view():
    def bare(request):
        raise AssertionError("never called")

    pattern = path("moi/", bare, name="moi")
    assert undeclared_views([("/moi/", pattern)]) == ["/moi/ (moi)"]
    declared = path("moi/", access.public("a test page")(bare), name="moi")
    assert undeclared_views([("/moi/", declared)]) == []


@pytest.fixture
def shopper(django_user_model):
    return django_user_model.objects.create_user("+84944444001", password="mat-khau-dai-123")


def test_every_protected_url_refuses_anonymous_callers_and_shoppers(client, shopper):
    client.raise_request_exception = False
    protected = [
        (url, entry)
        for url, entry in endpoints()
        if _is_admin(url, entry)
        or getattr(access.policy_of(entry.callback), "permission", None) is not None
    ]
    protected = [(p, e) for p, e in protected if p not in ("/admin/login/", "/admin/logout/")]
    assert len(protected) > 30
    let_through = []
    for who in ("anonymous", "shopper"):
        if who == "shopper":
            client.force_login(shopper)
        for url, entry in protected:
            policy = access.policy_of(entry.callback)
            if who == "shopper" and policy is not None and policy.permission in SIGNED_IN_ONLY:
                continue
            for method in ("get", "post"):
                # The admin redirects /admin/<model>/<id>/ to its change page: follow it there.
                response = getattr(client, method)(url, follow=_is_admin(url, entry))
                if getattr(response, "redirect_chain", None) and response.status_code == 200:
                    response = response.redirect_chain[-1]
                    refused = response[0].split("?")[0] in SIGN_IN_PAGES
                else:
                    refused = _refused(response) or (
                        who == "shopper" and response.status_code == 404
                    )
                if not refused:
                    let_through.append(f"{who} {method.upper()} {url}: {response}")
    assert not let_through, let_through


# --- GraphQL --------------------------------------------------------------------------------


def _root_fields():
    graphql = schema.graphql_schema
    for kind, root in (("query", graphql.query_type), ("mutation", graphql.mutation_type)):
        for name, field in root.fields.items():
            yield kind, name, field


def _policy(kind: str, field):
    if field.resolve is None:
        return None
    if kind == "mutation":  # the resolver is the mutation class's mutate, bound to the class
        return access.policy_of(getattr(field.resolve, "__self__", None))
    return access.policy_of(field.resolve)


def test_every_graphql_root_field_declares_a_policy():
    fields = list(_root_fields())
    assert len(fields) > 20
    missing = [f"{kind} {name}" for kind, name, field in fields if _policy(kind, field) is None]
    assert not missing, "GraphQL fields without a declared policy: " + ", ".join(missing)


SCALARS = {
    "String": '"x"',
    "ID": '"1"',
    "Int": "1",
    "Float": "1.0",
    "Boolean": "false",
    "Date": '"2026-01-01"',
    "DateTime": '"2026-01-01T00:00:00+07:00"',
    "Decimal": '"1"',
    "Upload": '"x"',
}


def _literal(kind) -> str:
    if isinstance(kind, GraphQLNonNull):
        return _literal(kind.of_type)
    if isinstance(kind, GraphQLList):
        return f"[{_literal(kind.of_type)}]"
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        required = [
            f"{name}: {_literal(f.type)}"
            for name, f in kind.fields.items()
            if isinstance(f.type, GraphQLNonNull)
            and f.default_value is not None
            or isinstance(f.type, GraphQLNonNull)
        ]
        return "{" + ", ".join(required) + "}"
    assert isinstance(kind, GraphQLScalarType), kind
    return SCALARS[kind.name]


def _operation(kind: str, name: str, field) -> str:
    arguments = ", ".join(
        f"{arg}: {_literal(a.type)}"
        for arg, a in field.args.items()
        if isinstance(a.type, GraphQLNonNull)
    )
    result = field.type
    while isinstance(result, (GraphQLNonNull, GraphQLList)):  # [Refund!]! selects as Refund
        result = result.of_type
    selection = ""
    if isinstance(result, GraphQLObjectType):
        selection = "{ errors { code } }" if "errors" in result.fields else "{ __typename }"
    call = f"{name}({arguments})" if arguments else name
    return f"{kind} {{ {call} {selection} }}"


def test_every_protected_graphql_field_refuses_anonymous_callers(client):
    protected = [
        (kind, name, field, _policy(kind, field).permission)
        for kind, name, field in _root_fields()
        if _policy(kind, field) is not None and _policy(kind, field).permission is not None
    ]
    assert len(protected) >= 10
    let_through = []
    for kind, name, field, permission in protected:
        body = client.post(
            "/graphql/", {"query": _operation(kind, name, field)}, content_type="application/json"
        ).json()
        codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
        payload = (body.get("data") or {}).get(name) or {}
        codes += [e["code"] for e in payload.get("errors", [])] if isinstance(payload, dict) else []
        if access.RULES[permission].code not in codes:
            let_through.append(f"{name}: {body}")
    assert not let_through, let_through
