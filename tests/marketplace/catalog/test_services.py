"""Catalog services: upserts, stock and publishing; bad input fails with a code, nothing written."""

import pytest

from marketplace.catalog.models import Product, ProductStatus, Stock
from marketplace.catalog.services import (
    ProductData,
    hide_product,
    publish_product,
    upsert_product,
)
from marketplace.catalog.stock import set_stock
from marketplace.errors import DomainError
from producers.models import OcopCertificate, Producer

pytestmark = pytest.mark.django_db

NEW_SKU = "TEST-NEW-01"


@pytest.fixture
def producer():
    return Producer.objects.filter(certificates__isnull=False).order_by("code").first()


def product_data(producer, **overrides) -> ProductData:
    values = {
        "sku": NEW_SKU,
        # the certified product in a bigger jar: the producer's certificate covers it
        "name": "Mắm thái Châu Đốc hũ lớn",
        "producer": producer,
        "product_set_code": "1.8",
        "unit": "gói 500g",
        "price": 180_000,
        "gtin": "8930000000019",
        "net_weight_g": 500,
        "certificate": producer.certificates.first(),
        "status": ProductStatus.PUBLISHED,
    }
    return ProductData(**{**values, **overrides})


def test_upsert_product_creates_then_changes_nothing(producer):
    product, changed = upsert_product(product_data(producer))
    assert changed
    assert product.sort_name == "mam thai chau doc hu lon"
    assert product.published_at is not None
    stamp = product.updated_at

    again, changed = upsert_product(product_data(producer))
    assert (again.pk, changed) == (product.pk, False)
    again.refresh_from_db()
    assert again.updated_at == stamp


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"price": -1}, "INVALID_PRICE", "price"),
        ({"price": 1_000_000_001}, "INVALID_PRICE", "price"),
        ({"price": 12.5}, "INVALID_PRICE", "price"),
        ({"gtin": "8930000000018"}, "INVALID_GTIN", "gtin"),
        ({"gtin": "893000000001"}, "INVALID_GTIN", "gtin"),
        ({"gtin": "89300000000A9"}, "INVALID_GTIN", "gtin"),
        ({"name": "   "}, "REQUIRED", "name"),
        ({"status": "sold"}, "INVALID_STATUS", "status"),
        ({"product_set_code": "7.1"}, "UNKNOWN_PRODUCT_SET", "ocop_set"),
        ({"description": "x" * 10_001}, "DESCRIPTION_TOO_LONG", "description"),
        ({"sku": "có dấu"}, "INVALID", "sku"),
    ],
)
def test_bad_product_is_refused_and_not_saved(producer, overrides, code, field):
    before = Product.objects.count()
    with pytest.raises(DomainError) as error:
        upsert_product(product_data(producer, **overrides))
    assert (error.value.code, error.value.field) == (code, field)
    assert error.value.message
    assert Product.objects.count() == before


def test_duplicate_gtin_is_refused(producer):
    taken = Product.objects.exclude(gtin=None).first().gtin
    with pytest.raises(DomainError) as error:
        upsert_product(product_data(producer, gtin=taken))
    assert (error.value.code, error.value.field) == ("GTIN_TAKEN", "gtin")
    assert not Product.objects.filter(sku=NEW_SKU).exists()


def test_certificate_of_another_producer_is_refused(producer):
    foreign = OcopCertificate.objects.exclude(producer=producer).first()
    with pytest.raises(DomainError) as error:
        upsert_product(product_data(producer, certificate=foreign))
    assert (error.value.code, error.value.field) == ("CERTIFICATE_NOT_OWNED", "certificate")
    assert not Product.objects.filter(sku=NEW_SKU).exists()


def test_sku_of_another_producer_is_refused(producer):
    other = Product.objects.exclude(producer=producer).first()
    with pytest.raises(DomainError) as error:
        upsert_product(product_data(producer, sku=other.sku, gtin="", certificate=None))
    assert (error.value.code, error.value.field) == ("SKU_TAKEN", "sku")
    assert Product.objects.get(pk=other.pk).name == other.name


def test_bad_update_leaves_the_product_as_it_was(producer):
    product, _ = upsert_product(product_data(producer))
    with pytest.raises(DomainError):
        upsert_product(product_data(producer, name="Tên mới", gtin="8930000000018"))
    product.refresh_from_db()
    assert product.name == "Mắm thái Châu Đốc hũ lớn"


def test_same_name_gets_a_distinct_slug(producer):
    first, _ = upsert_product(product_data(producer, sku="TEST-A", gtin=""))
    second, _ = upsert_product(product_data(producer, sku="TEST-B", gtin=""))
    assert first.slug == "mam-thai-chau-doc-hu-lon"
    assert second.slug == "mam-thai-chau-doc-hu-lon-test-b"


def test_set_stock(producer):
    product, _ = upsert_product(product_data(producer))
    stock, changed = set_stock(product, 5)
    assert (stock.quantity, changed) == (5, True)
    assert set_stock(product, 5)[1] is False
    assert set_stock(product, 0)[0].quantity == 0


@pytest.mark.parametrize("quantity", [-1, 2.5, True])
def test_bad_stock_is_refused_and_not_saved(producer, quantity):
    product, _ = upsert_product(product_data(producer))
    set_stock(product, 7)
    with pytest.raises(DomainError) as error:
        set_stock(product, quantity)
    assert (error.value.code, error.value.field) == ("INVALID_QUANTITY", "stock")
    assert Stock.objects.get(product=product).quantity == 7


def test_publish_and_hide(producer):
    product, _ = upsert_product(product_data(producer, status=ProductStatus.DRAFT))
    assert product.published_at is None
    publish_product(product)
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED and product.published_at
    assert Product.objects.published().filter(pk=product.pk).exists()
    hide_product(product)
    assert not Product.objects.published().filter(pk=product.pk).exists()


def test_inactive_producer_cannot_publish(producer):
    product, _ = upsert_product(product_data(producer, status=ProductStatus.DRAFT))
    Producer.objects.filter(pk=producer.pk).update(is_active=False)
    product.producer.refresh_from_db()
    with pytest.raises(DomainError) as error:
        publish_product(product)
    assert error.value.code == "PRODUCER_INACTIVE"
    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT


# --- A certificate covers the product it was granted for ------------------------------------


def test_another_products_certificate_is_refused(producer):
    certificate = producer.certificates.first()
    with pytest.raises(DomainError) as error:
        upsert_product(product_data(producer, name="Khô cá lóc Châu Đốc", gtin=""))
    assert (error.value.code, error.value.field) == ("CERTIFICATE_NOT_COVERING", "certificate")
    assert certificate.number in error.value.message
    assert not Product.objects.filter(sku=NEW_SKU).exists()


def test_another_set_is_not_covered_either(producer):
    with pytest.raises(DomainError) as error:
        upsert_product(product_data(producer, product_set_code="1.9", gtin=""))
    assert error.value.code == "CERTIFICATE_NOT_COVERING"


def test_staff_confirmation_covers_and_stays_with_that_certificate(producer, django_user_model):
    staff = django_user_model.objects.create_user("+84977111222", is_staff=True)
    data = product_data(producer, name="Mắm Châu Đốc quà biếu", gtin="")
    with pytest.raises(DomainError):
        upsert_product(data)
    product, _ = upsert_product(
        product_data(producer, name=data.name, gtin="", certificate_confirmed_by=staff)
    )
    assert product.certificate_id and product.certificate_confirmed_by == staff
    # later edits by the producer keep the confirmation for the same certificate
    product, _ = upsert_product(product_data(producer, name=data.name, gtin="", price=1000))
    assert product.certificate_confirmed_by == staff and product.ocop_stars


def test_only_staff_can_confirm(producer, django_user_model):
    member = django_user_model.objects.create_user("+84977111333")
    with pytest.raises(DomainError) as error:
        upsert_product(
            product_data(producer, name="Mắm Châu Đốc", gtin="", certificate_confirmed_by=member)
        )
    assert error.value.code == "FORBIDDEN"
