"""How /graphql/ runs a document: parsed and validated once per distinct text, then executed
by graphql-core minus work a synchronous Django app never needs.

A page of 100 products completes about 2,100 fields; for each, graphql-core builds a
resolve-info object, reads the arguments and asks "is this awaitable?" three times. Here:

- nothing is awaitable: every resolver of this app is synchronous (Django's ORM is);
- a field graphene resolves by attribute (no resolver of its own, no arguments) is read
  directly: a scalar or enum is serialised, an object type without is_type_of has its
  selection completed. A null for a non-null field, or a value that does not serialise, takes
  graphql-core's own path, so errors read exactly as before; with any middleware every field
  does (the middleware must see each resolver).

Subclassing ExecutionContext is graphql-core's documented way to customise execution. The view
mixin below is graphene-django's execute_graphql_request with those caches; ATOMIC_MUTATIONS is
left to config/graphql_transactions.py, as before.
"""

from functools import lru_cache, partial

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
    GraphQLSchema,
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
from graphql.pyutils import Undefined

# Distinct documents kept parsed, with their validation outcome: the storefront, the portal
# and scripts send a few dozen. Texts longer than CACHED_QUERY_LENGTH are not kept, so a flood
# of distinct queries costs at most DOCUMENT_CACHE_SIZE small documents of memory.
DOCUMENT_CACHE_SIZE = 256
CACHED_QUERY_LENGTH = 4_000
MAX_VALIDATION_ERRORS = graphene_settings.MAX_VALIDATION_ERRORS


def _never_awaitable(_value) -> bool:
    return False


def _attribute_plan(field_def, field_node):
    """How to read a field graphene resolves by attribute, without arguments: (attribute name,
    default, its type, that type without the non-null wrapper, is a leaf); None otherwise."""
    resolve = field_def.resolve
    if field_node.arguments or not isinstance(resolve, partial):
        return None
    if resolve.func is not dict_or_attr_resolver or resolve.keywords or len(resolve.args) != 2:
        return None
    non_null = is_non_null_type(field_def.type)
    named = field_def.type.of_type if non_null else field_def.type
    if is_leaf_type(named):
        return (*resolve.args, field_def.type, named, True)
    if is_object_type(named) and named.is_type_of is None:
        return (*resolve.args, field_def.type, named, False)
    return None  # lists and abstract types: graphql-core's path


class SyncExecutionContext(ExecutionContext):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_awaitable = _never_awaitable
        self._plans = {}
        manager = self.middleware_manager
        self._middleware = bool(manager and manager.middlewares)

    def execute_field(self, parent_type, source, field_nodes, path):
        node = field_nodes[0]
        key = (parent_type, id(node))
        plan = self._plans.get(key, Undefined)
        if plan is Undefined:
            field_def = get_field_def(self.schema, parent_type, node)
            plan = None
            if field_def is not None and not self._middleware:
                plan = _attribute_plan(field_def, node)
            self._plans[key] = plan
        if plan is None:
            return super().execute_field(parent_type, source, field_nodes, path)
        attname, default, return_type, named, leaf = plan
        if isinstance(source, dict):
            value = source.get(attname, default)
        else:
            value = getattr(source, attname, default)
        if value is None or value is Undefined:
            if return_type is not named:  # non-null: graphql-core's path words the error
                return super().execute_field(parent_type, source, field_nodes, path)
            return None
        if leaf:
            try:
                serialized = named.serialize(value)
            except Exception:  # noqa: BLE001 - graphql-core's path reports it
                serialized = None
            if serialized is None or serialized is Undefined:
                return super().execute_field(parent_type, source, field_nodes, path)
            return serialized
        try:
            # No is_type_of on the type (see _attribute_plan): the resolve info is not needed.
            return self.complete_object_value(named, field_nodes, None, path, value)
        except Exception as raw_error:  # as graphql-core's execute_field handles it
            error = located_error(raw_error, field_nodes, path.as_list())
            self.handle_field_error(error, return_type, path)
            return None


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
