"""One transaction per mutation request, except for mutations that call a third party.

graphene-django's ATOMIC_MUTATIONS wraps the whole operation, which would hold every row lock
a mutation takes (checkoutComplete's stock) across its network call (Stripe). Those mutations
commit their own short transactions and call out after the commit, so they run outside one;
every other mutation keeps graphene's behaviour (ATOMIC_MUTATIONS is off in settings and this
view opens the transaction instead).
"""

from django.db import transaction
from graphene_django.constants import MUTATION_ERRORS_FLAG
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationType,
    get_operation_ast,
)

from config import db_router
from config.graphql_execution import parsed

# Root mutation fields whose services manage their own transactions around a network call.
OUTSIDE_TRANSACTION = frozenset({"checkoutComplete"})


def _root_fields(selection_set, fragments, seen=frozenset()):
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection.name.value
        elif isinstance(selection, InlineFragmentNode):
            yield from _root_fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name in fragments and name not in seen:
                yield from _root_fields(fragments[name].selection_set, fragments, seen | {name})


def _operation(query: str | None, operation_name: str | None):
    try:
        document = parsed(query or "")
    except GraphQLError:
        return None, None  # the view reports the syntax error; nothing runs
    return document, get_operation_ast(document, operation_name)


def is_query(query: str | None, operation_name: str | None) -> bool:
    """A read-only operation (a query, not a mutation or subscription)."""
    _, operation = _operation(query, operation_name)
    return operation is not None and operation.operation == OperationType.QUERY


def needs_transaction(query: str | None, operation_name: str | None) -> bool:
    """A mutation none of whose root fields manage their own transactions."""
    document, operation = _operation(query, operation_name)
    if operation is None or operation.operation != OperationType.MUTATION:
        return False
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return not OUTSIDE_TRANSACTION & set(_root_fields(operation.selection_set, fragments))


class MutationTransactions:
    """View mixin: what ATOMIC_MUTATIONS does, minus the mutations listed above; queries may
    read from a replica even when POSTed."""

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, *args, **kwargs
    ):
        run = super().execute_graphql_request
        if is_query(query, operation_name):
            db_router.read_only_post(request)  # a replica may answer it (config/db_router.py)
        if not needs_transaction(query, operation_name):
            return run(request, data, query, variables, operation_name, *args, **kwargs)
        with transaction.atomic():
            result = run(request, data, query, variables, operation_name, *args, **kwargs)
            if getattr(request, MUTATION_ERRORS_FLAG, False) is True:
                transaction.set_rollback(True)
        return result
