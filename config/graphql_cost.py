"""Query limits checked before execution: depth and cost, in one pass over the document.

Cost: each field costs 1, times the number of objects it is asked for on. A field with a page
argument (`first`/`last`) multiplies what is under it by that page size (a variable counts as the
largest page the API allows); the page's own list (`edges`) adds nothing more. Any other list
field multiplies by UNPAGED_LIST_SIZE, so lists that point back at each other
(`ocopGroups { sets { group { sets … } } }`) cannot grow the answer exponentially within the
depth limit.

Resolver-heavy fields cost what their resolver does, not 1: FIELD_COSTS below, in the same
unit (one plain field of one object), set against the time a page of 100 products takes. So
600 aliases of `ocopCoverage` cost 1.5 million, not 1,200.

Aliases: one field may be asked for under at most `max_aliases` different names (per parent
type, in the whole document), so a single request cannot carry hundreds of guesses of
`order(number, phone)` or hundreds of copies of an expensive field.

Depth: the longest chain of nested fields that have selections (introspection fields don't
count), as graphene's depth_limit_validator measures it.

Both are linear in the factor above a selection, so each fragment is measured once: spreading
fragments inside fragments cannot make validation itself slow. (graphene's validator expands
every spread, so `…F1 …F1` chains thirty deep hang it.)
"""

from dataclasses import dataclass

from graphql import GraphQLError
from graphql.language import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    NullValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.type import get_named_type, get_nullable_type, is_list_type
from graphql.validation import ValidationRule

from config.api_errors import ApiError
from marketplace.paging import MAX_PAGE_SIZE

# A guess at the length of lists the API returns whole (product sets: 26, OCOP groups: 6).
UNPAGED_LIST_SIZE = 20
# Measured on the sample data (SQLite, 2 busy cores, GraphQL overhead included): a page of 100
# products with 8 fields costs ~900 and takes ~160 ms; one uncached ocopCoverage ~50 ms (more
# with a bigger register: it reads every valid entry), cached ~3 ms; facets ~100 ms; a search
# page ~130 ms; traceBatch ~70 ms (it recomputes the lot's hash chain). The costs err high.
FIELD_COSTS = {
    "Query.ocopCoverage": 2_500,
    "Query.ocopSales": 2_500,
    "ProductConnection.facets": 1_000,
    "Query.traceBatch": 500,
}
# An argument that turns a cheap read into a search: costs this much when given.
ARGUMENT_COSTS = {"Query.products.search": 1_000}


@dataclass(frozen=True)
class Measure:
    cost: int = 0
    depth: int = 0

    def __add__(self, other: "Measure") -> "Measure":
        """Siblings: costs add up, the deepest one counts."""
        return Measure(self.cost + other.cost, max(self.depth, other.depth))


def _page_size(field: FieldNode) -> int | None:
    for argument in field.arguments or ():
        if argument.name.value in ("first", "last"):
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), MAX_PAGE_SIZE))
            return MAX_PAGE_SIZE
    return None


def _own_cost(parent, field: FieldNode) -> int:
    where = f"{getattr(parent, 'name', '')}.{field.name.value}"
    cost = FIELD_COSTS.get(where, 1)
    for argument in field.arguments or ():
        extra = ARGUMENT_COSTS.get(f"{where}.{argument.name.value}")
        if extra and not isinstance(argument.value, NullValueNode):
            cost += extra
    return cost


def query_limits_rule(*, max_depth: int, max_cost: int):
    class QueryLimitsRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args):
            self._fragments: dict[str, FragmentDefinitionNode] = {
                definition.name.value: definition
                for definition in self.context.document.definitions
                if isinstance(definition, FragmentDefinitionNode)
            }
            self._fragment_measures: dict[tuple[str, bool], Measure] = {}
            root = self.context.schema.get_root_type(node.operation)
            measure = self._measure(node.selection_set, root, False, frozenset())
            name = node.name.value if node.name else "anonymous"
            if measure.depth > max_depth:
                self.report_error(
                    GraphQLError(f"'{name}' exceeds maximum operation depth of {max_depth}.", node)
                )
            if measure.cost > max_cost:
                self.report_error(
                    GraphQLError(
                        f"Query cost {measure.cost} exceeds the limit of {max_cost}; "
                        "ask for fewer items or fewer nested lists.",
                        node,
                    )
                )

        def _measure(self, selection_set: SelectionSetNode | None, parent, in_page, seen):
            """A selection made once; `in_page`: directly under a paged field."""
            total = Measure()
            if selection_set is None:
                return total
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    total += self._field(selection, parent, in_page, seen)
                elif isinstance(selection, InlineFragmentNode):
                    type_ = self._type_named(selection.type_condition) or parent
                    total += self._measure(selection.selection_set, type_, in_page, seen)
                elif isinstance(selection, FragmentSpreadNode):
                    total += self._spread(selection.name.value, in_page, seen)
            return total

        def _field(self, field: FieldNode, parent, in_page, seen) -> Measure:
            if field.name.value.startswith("__"):  # introspection: schema-sized, not data
                return Measure(cost=1)
            fields = getattr(parent, "fields", None) or {}
            definition = fields.get(field.name.value)
            field_type = definition.type if definition else None
            is_list = field_type is not None and is_list_type(get_nullable_type(field_type))
            page = _page_size(field)
            if page is not None:
                multiplier = page
            elif is_list:
                multiplier = 1 if in_page else UNPAGED_LIST_SIZE
            else:
                multiplier = 1
            child_type = get_named_type(field_type) if field_type else None
            inner = self._measure(
                field.selection_set, child_type, page is not None and not is_list, seen
            )
            depth = 1 + inner.depth if field.selection_set else 0
            return Measure(cost=_own_cost(parent, field) + multiplier * inner.cost, depth=depth)

        def _spread(self, name: str, in_page: bool, seen) -> Measure:
            fragment = self._fragments.get(name)
            if fragment is None or name in seen:  # unknown or cyclic: other rules report it
                return Measure()
            key = (name, in_page)
            if key not in self._fragment_measures:
                type_ = self._type_named(fragment.type_condition)
                self._fragment_measures[key] = self._measure(
                    fragment.selection_set, type_, in_page, seen | {name}
                )
            return self._fragment_measures[key]

        def _type_named(self, named_type_node):
            if named_type_node is None:
                return None
            return self.context.schema.get_type(named_type_node.name.value)

    return QueryLimitsRule


def alias_limit_rule(*, max_aliases: int):
    class AliasLimitRule(ValidationRule):
        """A field asked for under more than `max_aliases` response names is refused."""

        def __init__(self, context):
            super().__init__(context)
            self._names: dict[tuple[str, str], set[str]] = {}

        def enter_field(self, node: FieldNode, *_args):
            parent = self.context.get_parent_type()
            if parent is None:
                return
            field = (parent.name, node.name.value)
            names = self._names.setdefault(field, set())
            names.add(node.alias.value if node.alias else node.name.value)
            if len(names) == max_aliases + 1:  # report once per field
                self.report_error(
                    GraphQLError(
                        f"'{node.name.value}' is asked for under more than {max_aliases} "
                        "names (aliases) in one request; send fewer.",
                        node,
                        extensions={"code": ApiError.TOO_MANY_ALIASES},
                    )
                )

    return AliasLimitRule
