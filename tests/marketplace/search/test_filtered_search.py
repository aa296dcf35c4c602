"""A filtered search finds exactly the unfiltered search's products that pass the filter, in
the same order, however the backend applies it (PostgreSQL: document keys and price, or a join
for stock; SQLite: a join)."""

import pytest
from django.db import connection

from marketplace.catalog.listing import ProductFilter, apply_filter
from marketplace.catalog.models import Product
from marketplace.search import services
from marketplace.search.documents import filter_keys
from marketplace.search.models import SearchDocument
from marketplace.search.services import browse_products
from tests.services import need_postgres

pytestmark = pytest.mark.django_db


def _sample_filters() -> list[ProductFilter]:
    product = Product.objects.published().select_related("producer", "certificate").first()
    return [
        ProductFilter(ocop_sets=[product.product_set_id]),
        ProductFilter(groups=[product.product_set.group_id, 5]),
        ProductFilter(stars=[4]),
        ProductFilter(ward_codes=[product.producer.ward_id]),
        ProductFilter(producer_codes=[product.producer.code]),
        ProductFilter(price_min=50_000, price_max=300_000),
        ProductFilter(groups=[1], price_max=150_000),
        ProductFilter(in_stock=True),
        ProductFilter(stars=[3, 4], in_stock=False),
    ]


@pytest.mark.parametrize("query", ["phu quoc", "mam", "kho ca", "nuoc mam chau doc"])
def test_a_filtered_search_is_the_search_narrowed_by_the_filter(query):
    page = browse_products(first=100, search=query)
    unfiltered = page.items
    assert unfiltered and not page.relaxed
    for flt in _sample_filters():
        passing = set(apply_filter(Product.objects.published(), flt).values_list("pk", flat=True))
        expected = [p.sku for p in unfiltered if p.pk in passing]
        page = browse_products(first=100, search=query, flt=flt)
        assert {p.pk for p in page.items} <= passing, flt
        if page.relaxed:  # nothing passing has every word: the closest ones, said so
            assert not expected, flt
            continue
        assert [p.sku for p in page.items] == expected, flt
        assert page.total_count == len(expected), flt


def test_a_filter_on_a_changed_product_follows_it():
    product = Product.objects.published().filter(name__icontains="mắm").first()
    flt = ProductFilter(price_min=product.price + 1)
    assert product not in browse_products(first=100, search="mam", flt=flt).items
    product.price += 10_000
    product.save()
    services.refresh_products([product.pk])
    assert product in browse_products(first=100, search="mam", flt=flt).items


def test_the_migration_fills_the_keys_as_the_documents_do():
    """PostgreSQL: migration 0009 computes existing documents' keys in SQL; they must be the
    tokens documents.filter_keys writes."""
    need_postgres()
    from importlib import import_module

    migration = import_module("marketplace.search.migrations.0009_document_keys")
    SearchDocument.objects.update(keys=" ", price=0)
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL_KEYS)
    products = Product.objects.select_related("producer", "certificate", "product_set")
    for document in SearchDocument.objects.select_related("product"):
        product = next(p for p in products if p.pk == document.product_id)
        assert document.keys.split() == filter_keys(product), product.sku
        assert document.price == product.price
