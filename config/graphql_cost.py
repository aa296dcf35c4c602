"""A query-cost validation rule: refuse queries that would fan out into too many objects.

Each field costs 1; a field under a list argument (`first`/`last`) costs that many times its
parent. A variable page size counts as the largest page the API allows.
"""

from graphql import GraphQLError
from graphql.language import (
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.validation import ValidationRule

MAX_PAGE_SIZE = 100


def _multiplier(field: FieldNode) -> int:
    for argument in field.arguments or ():
        if argument.name.value in ("first", "last"):
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), MAX_PAGE_SIZE))
            return MAX_PAGE_SIZE
    return 1


def query_cost_rule(max_cost: int):
    class QueryCostRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_args):
            fragments = {
                definition.name.value: definition
                for definition in self.context.document.definitions
                if definition.kind == "fragment_definition"
            }
            cost = self._cost(node.selection_set, fragments, 1, set())
            if cost > max_cost:
                self.report_error(
                    GraphQLError(
                        f"Query cost {cost} exceeds the limit of {max_cost}; "
                        "ask for fewer items or fewer nested lists.",
                        node,
                    )
                )

        def _cost(self, selection_set: SelectionSetNode | None, fragments, factor, seen) -> int:
            if selection_set is None:
                return 0
            total = 0
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    inner = factor * _multiplier(selection)
                    total += factor + self._cost(selection.selection_set, fragments, inner, seen)
                elif isinstance(selection, InlineFragmentNode):
                    total += self._cost(selection.selection_set, fragments, factor, seen)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    if name in fragments and name not in seen:
                        fragment = fragments[name]
                        total += self._cost(
                            fragment.selection_set, fragments, factor, seen | {name}
                        )
            return total

    return QueryCostRule
