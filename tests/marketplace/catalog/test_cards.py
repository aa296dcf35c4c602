"""A listing page read as cards answers every Product field exactly as the product read as a
model does (`product(sku:)`), field by field from the schema itself, so a field added to the
type later is checked too (issue 16, item 7)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from graphql import get_named_type, is_leaf_type

from config.schema import schema
from marketplace.catalog import cards
from marketplace.catalog.images import ensure_placeholder
from marketplace.catalog.models import Product, ProductImage, Stock
from marketplace.catalog.thumbnails import thumbnail_name
from producers.models import OcopCertificate, Producer

pytestmark = pytest.mark.django_db

# Arguments a field needs, and one variant of those it takes, to be asked for at all.
ARGUMENTS = {
    "reviews": "(first: 3)",
    "thumbnailUrl": ["", '(size: 100, format: "jpg")'],
    "valid": ["", '(on: "2020-01-01")'],
}


def asked(name: str, field, depth: int) -> str:
    """`name` with each of its argument variants (aliased), and its subfields if any."""
    named = get_named_type(field.type)
    inner = "" if is_leaf_type(named) else f"{{ {selection(named, depth + 1)} }}"
    variants = ARGUMENTS.get(name, "")
    return " ".join(
        f"{f'{name}{i}: ' if i else ''}{name}{args} {inner}"
        for i, args in enumerate(variants if isinstance(variants, list) else [variants])
    )


def selection(type_, depth: int) -> str:
    """Every field of `type_`, objects down to the fourth level."""
    return " ".join(
        asked(name, field, depth)
        for name, field in type_.fields.items()
        if is_leaf_type(get_named_type(field.type)) or depth < 3
    )


PRODUCT = schema.graphql_schema.get_type("Product")


@pytest.fixture
def varied(db):
    """Published products with what cards must get right: no certificate, an expired one, one
    ending today, no stock row, two pictures out of order, an English name, a producer
    without coordinates."""
    listed = list(Product.objects.published().select_related("producer").order_by("sort_name")[:6])
    no_certificate, expired, no_stock, pictures, english, far = listed
    Product.objects.filter(pk=no_certificate.pk).update(certificate=None)
    # Both ends of the validity period count: on the issue day (valid(on:)), on the last day.
    OcopCertificate.objects.filter(pk=expired.certificate_id).update(
        issued_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2021, 12, 31)
    )
    OcopCertificate.objects.filter(pk=english.certificate_id).update(
        expires_on=timezone.localdate()
    )
    Stock.objects.filter(product=no_stock).delete()
    ensure_placeholder(pictures)
    first = ProductImage.objects.get(product=pictures)
    ProductImage.objects.create(
        product=pictures, file="products/second.jpg", width=10, height=10, position=0
    )
    ProductImage.objects.filter(pk=first.pk).update(position=5)
    Product.objects.filter(pk=english.pk).update(name_en="Fish sauce")
    Producer.objects.filter(pk=far.producer_id).update(latitude=None, longitude=None)
    return listed


def page_and_singles(graphql, fields: str):
    query = f"""query($after: String) {{ products(first: 100, after: $after) {{
        pageInfo {{ hasNextPage endCursor }} edges {{ cursor node {{ sku {fields} }} }} }} }}"""
    nodes, after = [], None
    while True:
        body = graphql(query, {"after": after})
        assert "errors" not in body, body["errors"]
        page = body["data"]["products"]
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    single = f"query($sku: String) {{ product(sku: $sku) {{ sku {fields} }} }}"
    return nodes, lambda sku: graphql(single, {"sku": sku})


@pytest.mark.parametrize("name", list(PRODUCT.fields))
def test_each_field_of_a_card_reads_as_the_model(graphql, varied, name):
    nodes, single = page_and_singles(graphql, asked(name, PRODUCT.fields[name], 1))
    assert len(nodes) == Product.objects.published().count()
    for node in nodes:
        body = single(node["sku"])
        assert "errors" not in body, body["errors"]
        assert node == body["data"]["product"], node["sku"]


def test_the_edge_cases_are_on_the_page(graphql, varied):
    """The fixture's products really show what the comparison above covers."""
    no_certificate, expired, no_stock, pictures, english, far = varied
    fields = """ocopStars ocopCertificate { valid first: valid(on: "2020-01-01") } stock nameEn
        thumbnailUrl producer { latitude }"""
    nodes, _ = page_and_singles(graphql, fields)
    by_sku = {node["sku"]: node for node in nodes}
    assert by_sku[no_certificate.sku]["ocopCertificate"] is None
    assert by_sku[no_certificate.sku]["ocopStars"] is None
    assert by_sku[expired.sku]["ocopCertificate"] == {"valid": False, "first": True}
    assert by_sku[english.sku]["ocopCertificate"]["valid"] is True
    assert by_sku[no_stock.sku]["stock"] == 0
    assert thumbnail_name("products/second.jpg", 320) in by_sku[pictures.sku]["thumbnailUrl"]
    assert by_sku[english.sku]["nameEn"] == "Fish sauce"
    assert by_sku[far.sku]["producer"]["latitude"] is None


def test_a_page_of_cards_is_one_query_and_no_model_rows(graphql):
    query = """{ products(first: 100) { edges { node { sku name price { amount } stock
        ocopCertificate { number valid } producer { name ward { name } } productSet { name }
        thumbnailUrl } } } }"""
    with CaptureQueriesContext(connection) as captured:
        body = graphql(query)
    assert len(body["data"]["products"]["edges"]) == 100
    statements = [q["sql"] for q in captured.captured_queries]
    assert len(statements) == 1  # the joined row of each card, its first picture included
    # Columns only a model instance loads: the cards' query reads none of them.
    assert not any('"catalog_product"."updated_at"' in sql for sql in statements)
    assert not any('"producers_producer"."tax_code"' in sql for sql in statements)


@pytest.mark.parametrize(
    "fields",
    ["reviews(first: 2) { edges { node { rating } } }", "productSet { group { sets { code } } }"],
)
def test_fields_cards_cannot_answer_are_read_from_models(
    graphql, fields, django_assert_max_num_queries
):
    """Each product's reviews, a group's sets: the page falls back to model instances."""
    with django_assert_max_num_queries(400):
        body = graphql(f"{{ products(first: 5) {{ edges {{ node {{ sku {fields} }} }} }} }}")
    assert "errors" not in body, body["errors"]
    assert len(body["data"]["products"]["edges"]) == 5


def test_cards_share_one_card_per_producer_ward_and_set():
    rows = cards.product_cards(Product.objects.published().order_by("producer_id", "pk"))
    by_producer = {}
    for card in rows:
        by_producer.setdefault(card.producer.pk, set()).add(id(card.producer))
    assert all(len(ids) == 1 for ids in by_producer.values())
    assert any(len({c.pk for c in rows if c.producer.pk == pk}) > 1 for pk in by_producer)
    wards = {}
    for card in rows:
        wards.setdefault(card.producer.ward.code, set()).add(id(card.producer.ward))
    assert all(len(ids) == 1 for ids in wards.values())
