"""The GraphQL type names of the public contract (clients use them in fragments)."""

from config.schema import schema

CONTRACT_TYPES = [
    "type ProductConnection",
    "type Product ",
    "input ProductFilterInput",
    "input ProductSortInput",
    "type OcopCoverage",
    "type CoverageRow",
    "type TraceBatch",
    "input CheckoutCreateInput",
    "input CheckoutLineInput",
    "input AddressInput",
    "type CheckoutCreatePayload",
    "type Checkout ",
    "type CheckoutCompletePayload",
    "enum PaymentMethod",
    "type Order ",
    "type SubOrder ",
    "type SubOrderConnection",
    "type Error ",
]


def test_schema_keeps_the_contract_type_names():
    sdl = str(schema)
    missing = [name for name in CONTRACT_TYPES if name not in sdl]
    assert missing == []
