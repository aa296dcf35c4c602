"""How /graphql/ runs a document: parsed and validated once per distinct text, then executed
by graphql-core minus work a synchronous Django app never needs.

A page of 100 products completes about 2,600 fields; for each, graphql-core looks the field up,
builds a resolve-info object, reads the arguments and asks "is this awaitable?" three times.
Here each selection is planned once per request (`_plan`):

- nothing is awaitable: every resolver of this app is synchronous (Django's ORM is);
- a field graphene resolves by attribute (no resolver of its own, no arguments) is read
  directly: a scalar or enum is serialised, an object type without is_type_of has its
  selection completed, all in one loop over the selection;
- a field with its own resolver has its arguments read once (the variables are fixed for the
  request) and a leaf result is serialised directly.

A null for a non-null field, a value that does not serialise, arguments that do not coerce, lists
and abstract types take graphql-core's own path, so answers and errors read exactly as before;
with any middleware every field does (the middleware must see each resolver).

Subclassing ExecutionContext is graphql-core's documented way to customise execution. The view
mixin below is graphene-django's execute_graphql_request with those caches; ATOMIC_MUTATIONS is
left to config/graphql_transactions.py, as before.
"""

from functools import lru_cache, partial
from typing import NamedTuple

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed
from graphene.types.resolver import dict_or_attr_resolver
from graphene_django.settings import graphene_settings
from graphene_django.views import HttpError
from graphql import (
    DocumentNode,
    ExecutionContext,
    ExecutionResult,
    GraphQLError,
    GraphQLField,
    GraphQLID,
    GraphQLNamedType,
    GraphQLSchema,
    GraphQLString,
    OperationType,
    execute,
    get_operation_ast,
    is_leaf_type,
    is_non_null_type,
    is_object_type,
    located_error,
    parse,
    validate,
    validate_schema,
)
from graphql.execution.execute import get_field_def
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined

# Distinct documents kept parsed, with their validation outcome: the storefront, the portal
# and scripts send a few dozen. Texts longer than CACHED_QUERY_LENGTH are not kept, so a flood
# of distinct queries costs at most DOCUMENT_CACHE_SIZE small documents of memory.
DOCUMENT_CACHE_SIZE = 256
CACHED_QUERY_LENGTH = 4_000
MAX_VALIDATION_ERRORS = graphene_settings.MAX_VALIDATION_ERRORS


def _never_awaitable(_value) -> bool:
    return False


IDENTITY_LEAVES = (GraphQLString, GraphQLID)  # a str serialises as itself


def _serialize(named, value):
    """`value` serialised by its leaf type, or Undefined where graphql-core would report an
    error (a value it cannot represent, or an exception returned as the value)."""
    if value.__class__ is str and named in IDENTITY_LEAVES:
        return value
    if isinstance(value, Exception):
        return Undefined
    try:
        serialized = named.serialize(value)
    except Exception:  # noqa: BLE001 - graphql-core's path reports it
        return Undefined
    return Undefined if serialized is None else serialized


class _Plan(NamedTuple):
    """How to complete one field of a selection, worked out once per request."""

    attribute: str | None  # read by attribute: no resolver of its own, no arguments
    default: object
    field_def: GraphQLField
    args: dict  # the field's arguments: the variables are fixed for the request
    named: GraphQLNamedType  # the type without its non-null wrapper
    nullable: bool
    leaf: bool


def _plan(schema, parent_type, node, variable_values) -> _Plan | None:
    """None where graphql-core's own execute_field is kept: lists and abstract types, object
    types with is_type_of, and arguments that do not coerce (graphql-core words that error)."""
    field_def = get_field_def(schema, parent_type, node)
    if field_def is None:
        return None
    nullable = not is_non_null_type(field_def.type)
    named = field_def.type if nullable else field_def.type.of_type
    leaf = is_leaf_type(named)
    if not leaf and not (is_object_type(named) and named.is_type_of is None):
        return None
    resolve = field_def.resolve
    if (
        not node.arguments
        and isinstance(resolve, partial)
        and resolve.func is dict_or_attr_resolver
        and not resolve.keywords
        and len(resolve.args) == 2
    ):
        attribute, default = resolve.args
        return _Plan(attribute, default, field_def, {}, named, nullable, leaf)
    if resolve is None:
        return None
    try:
        args = get_argument_values(field_def, node, variable_values)
    except GraphQLError:
        return None
    return _Plan(None, None, field_def, args, named, nullable, leaf)


class SyncExecutionContext(ExecutionContext):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_awaitable = _never_awaitable
        self._selections = {}
        manager = self.middleware_manager
        self._middleware = bool(manager and manager.middlewares)

    def _field_plan(self, parent_type, node) -> _Plan | None:
        if self._middleware:  # graphql-core's path: the middleware must see every resolver
            return None
        return _plan(self.schema, parent_type, node, self.variable_values)

    def _planned(self, parent_type, fields):
        key = (parent_type, id(fields))
        entry = self._selections.get(key)
        if entry is None:
            plans = [
                (name, nodes, self._field_plan(parent_type, nodes[0]))
                for name, nodes in fields.items()
            ]
            entry = self._selections[key] = (fields, plans)  # holds `fields`, so its id stays
        return entry[1]

    def execute_fields(self, parent_type, source_value, path, fields):
        results = {}
        type_name = parent_type.name
        is_dict = isinstance(source_value, dict)
        for name, nodes, plan in self._planned(parent_type, fields):
            if plan is None:
                result = self.execute_field(
                    parent_type, source_value, nodes, Path(path, name, type_name)
                )
                if result is not Undefined:
                    results[name] = result
                continue
            if plan.attribute is None:
                results[name] = self._resolved(
                    plan, parent_type, source_value, nodes, Path(path, name, type_name)
                )
                continue
            if is_dict:
                value = source_value.get(plan.attribute, plan.default)
            else:
                value = getattr(source_value, plan.attribute, plan.default)
            if value is None or value is Undefined:
                if plan.nullable:
                    results[name] = None
                    continue
            elif plan.leaf:
                serialized = _serialize(plan.named, value)
                if serialized is not Undefined:
                    results[name] = serialized
                    continue
            elif not isinstance(value, Exception):
                field_path = Path(path, name, type_name)
                results[name] = self._completed_object(plan, nodes, field_path, value)
                continue
            # a null for a non-null field, a value that does not serialise or an exception as
            # the value: graphql-core's path words the error
            results[name] = self.execute_field(
                parent_type, source_value, nodes, Path(path, name, type_name)
            )
        return results

    def _completed_object(self, plan, nodes, path, value):
        try:
            # No is_type_of on the type (see _plan): the resolve info is not needed.
            return self.complete_object_value(plan.named, nodes, None, path, value)
        except Exception as raw_error:
            return self._field_error(raw_error, nodes, plan.field_def.type, path)

    def _resolved(self, plan, parent_type, source, nodes, path):
        """graphql-core's execute_field with the field, its arguments and the
        awaitable checks already settled."""
        field_def = plan.field_def
        info = self.build_resolve_info(field_def, nodes, parent_type, path)
        try:
            result = field_def.resolve(source, info, **plan.args)
            if plan.leaf and result is not None:
                serialized = _serialize(plan.named, result)
                if serialized is not Undefined:
                    return serialized
            return self.complete_value(field_def.type, nodes, info, path, result)
        except Exception as raw_error:
            return self._field_error(raw_error, nodes, field_def.type, path)

    def _field_error(self, raw_error, nodes, return_type, path) -> None:
        """As graphql-core's execute_field reports an error: raised on for a non-null field,
        else collected and the field is null."""
        self.handle_field_error(located_error(raw_error, nodes, path.as_list()), return_type, path)


@lru_cache(maxsize=DOCUMENT_CACHE_SIZE)
def _parsed(query: str) -> DocumentNode:
    return parse(query)


def parsed(query: str) -> DocumentNode:
    """The document of `query`; raises GraphQLError on a syntax error (never cached). Long
    texts are parsed each time, so the cache stays small whatever is sent."""
    if len(query) > CACHED_QUERY_LENGTH:
        return parse(query)
    return _parsed(query)


@lru_cache(maxsize=DOCUMENT_CACHE_SIZE)
def _validated(schema, query, rules, introspection) -> tuple[GraphQLError, ...]:
    # `introspection` is part of the key because one rule reads it from the settings.
    return tuple(validate(schema, parsed(query), list(rules), MAX_VALIDATION_ERRORS))


def validation_errors(
    schema: GraphQLSchema, query: str, document: DocumentNode, rules: tuple
) -> list[GraphQLError]:
    """The errors of `document` (parsed from `query`): kept per text, as `parsed` keeps it."""
    if len(query) > CACHED_QUERY_LENGTH:
        return validate(schema, document, list(rules), MAX_VALIDATION_ERRORS)
    introspection = bool(settings.DEBUG or settings.GRAPHQL_INTROSPECTION)
    return list(_validated(schema, query, rules, introspection))


class CachedDocuments:
    """View mixin: graphene-django's execute_graphql_request with the document parsed and
    validated once per distinct text (both depend on the text and the schema only), and this
    module's execution context."""

    def execute_graphql_request(
        self, request, data, query, variables, operation_name, show_graphiql=False
    ):
        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest("Must provide query string."))
        schema = self.schema.graphql_schema
        schema_errors = validate_schema(schema)  # computed once by graphql-core
        if schema_errors:
            return ExecutionResult(data=None, errors=schema_errors)
        try:
            document = parsed(query)
        except Exception as exc:  # noqa: BLE001 - as graphene-django: reported, not raised
            return ExecutionResult(errors=[exc])
        operation = get_operation_ast(document, operation_name)
        if (
            request.method.lower() == "get"
            and operation is not None
            and operation.operation != OperationType.QUERY
        ):
            if show_graphiql:
                return None
            raise HttpError(
                HttpResponseNotAllowed(
                    ["POST"],
                    f"Can only perform a {operation.operation.value} operation from a POST "
                    "request.",
                )
            )
        errors = validation_errors(schema, query, document, tuple(self.validation_rules or ()))
        if errors:
            return ExecutionResult(data=None, errors=errors)
        try:
            return execute(
                schema,
                document,
                root_value=self.get_root_value(request),
                context_value=self.get_context(request),
                variable_values=variables,
                operation_name=operation_name,
                middleware=self.get_middleware(request),
                execution_context_class=SyncExecutionContext,
            )
        except Exception as exc:  # noqa: BLE001 - as graphene-django: reported, not raised
            return ExecutionResult(errors=[exc])
