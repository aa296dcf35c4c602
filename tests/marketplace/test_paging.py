"""One page-size cap (marketplace.paging.MAX_PAGE_SIZE) for every paged list, the GraphQL cost
estimate and the schema's descriptions; nothing defines its own. (What each connection answers
past the cap: tests/marketplace/catalog/test_graphql_products.py and
tests/producers/portal/test_sub_orders_graphql.py.)"""

from config.schema import schema
from marketplace.paging import MAX_PAGE_SIZE
from tests.source_tree import assigned_names, parsed


def test_max_page_size_is_defined_once():
    defining = [path for path, tree in parsed() if "MAX_PAGE_SIZE" in assigned_names(tree)]
    assert defining == ["marketplace/paging.py"]
    assert MAX_PAGE_SIZE == 100  # the contract: "first is capped at 100"


def test_the_schema_says_the_cap():
    query = schema.graphql_schema.query_type
    for name in ("products", "subOrders"):
        assert query.fields[name].args["first"].description == f"At most {MAX_PAGE_SIZE}."
