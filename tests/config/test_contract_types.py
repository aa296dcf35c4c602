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


# Enums derived from model choices (marketplace.graphql.core.enum_of) keep the names clients send
# and read; the model's choices are what they follow, so a renamed choice shows here.
CONTRACT_ENUMS = {
    "PaymentMethod": ["COD", "VIETQR", "STRIPE"],
    "PaymentStatus": ["PENDING", "PARTIALLY_PAID", "PAID", "FAILED"],
    "OrderStatus": ["NEW", "CONFIRMED", "SHIPPED", "DELIVERED", "CANCELLED"],
    "ProductStatusEnum": ["PUBLISHED", "DRAFT", "HIDDEN"],
    "ProducerKindEnum": ["HOP_TAC_XA", "DOANH_NGHIEP", "HO_KINH_DOANH", "CO_SO"],
}


def test_enums_keep_their_names_and_values():
    graphql = schema.graphql_schema
    found = {name: list(graphql.get_type(name).values) for name in CONTRACT_ENUMS}
    assert found == CONTRACT_ENUMS


def test_enums_follow_the_model_choices():
    from marketplace.catalog.models import ProductStatus
    from marketplace.checkout.models import OrderStatus
    from marketplace.payments.models import PaymentMethod, PaymentStatus
    from producers.models import ProducerKind

    graphql = schema.graphql_schema
    for name, choices in {
        "PaymentMethod": PaymentMethod,
        "PaymentStatus": PaymentStatus,
        "OrderStatus": OrderStatus,
        "ProductStatusEnum": ProductStatus,
        "ProducerKindEnum": ProducerKind,
    }.items():
        enum = graphql.get_type(name)
        # What a resolver returns (the stored value) serializes to the choice's name, and back.
        assert [enum.serialize(choice.value) for choice in choices] == choices.names
        assert [enum.parse_value(choice.name) for choice in choices] == list(choices)
