"""Shared GraphQL pieces: money, the error type, domain errors of query fields, guards.

Mutations map their domain errors in marketplace.graphql.mutations.DomainMutation."""

import datetime
from functools import wraps

import graphene
from django.db.models import Choices
from django.utils import timezone
from graphql import GraphQLError
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode

from marketplace import access
from marketplace.errors import DomainError, camel_field


class Money(graphene.ObjectType):
    amount = graphene.Int(required=True, description="Số tiền, đồng (VND không có phần lẻ).")
    currency = graphene.String(required=True)

    @staticmethod
    def vnd(amount: int) -> "Money":
        return Money(amount=amount, currency="VND")


class Error(graphene.ObjectType):
    field = graphene.String(description="Input field the error is about, if any.")
    code = graphene.String(required=True)
    message = graphene.String(required=True)


def enum_of(choices: type[Choices], name: str) -> type[graphene.Enum]:
    """The GraphQL enum of a model's choices: the choices' names as its names, their stored values
    as its values, so the schema follows the model instead of a copy kept in step by hand.
    (Enum.from_enum would also describe it as "An enumeration.": the schema stays as it was.)"""
    return type(name, (graphene.Enum,), {"Meta": type("Meta", (), {"enum": choices})})


class OrderDirection(graphene.Enum):
    ASC = "asc"
    DESC = "desc"


def query_error(exc: DomainError) -> GraphQLError:
    """A domain error raised by a query field: a top-level GraphQL error carrying the code."""
    return GraphQLError(exc.message, extensions={"code": exc.code, "field": camel_field(exc.field)})


def requires(permission):
    """A query resolver that answers a top-level error unless the user has `permission`."""

    def decorate(resolver):
        @wraps(resolver)
        def guarded(root, info, *args, **kwargs):
            if not access.has(info.context.user, permission):
                raise query_error(access.denial(permission))
            return resolver(root, info, *args, **kwargs)

        return access.declare(guarded, permission)

    return decorate


def request_today(info) -> datetime.date:
    """Today in Vietnam, read once per request: every field of one answer sees the same day
    (and a page of 100 certificates asks the time zone once, not 100 times)."""
    request = info.context
    today = getattr(request, "_ocop_today", None)
    if today is None:
        today = request._ocop_today = timezone.localdate()
    return today


def selects(info, *path: str) -> bool:
    """Whether the query asks for the field at `path` (camelCase names) below the field being
    resolved, through fragments too: e.g. selects(info, "edges", "node", "description")."""

    def fields(selection_sets):
        for selection_set in selection_sets:
            for node in selection_set.selections if selection_set else ():
                if isinstance(node, FieldNode):
                    yield node
                elif isinstance(node, InlineFragmentNode):
                    yield from fields([node.selection_set])
                elif isinstance(node, FragmentSpreadNode):
                    fragment = info.fragments.get(node.name.value)
                    yield from fields([fragment.selection_set] if fragment else [])

    level = [node.selection_set for node in info.field_nodes]
    for name in path:
        level = [node.selection_set for node in fields(level) if node.name.value == name]
        if not level:
            return False
    return True
