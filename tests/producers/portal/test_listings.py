"""Listings from a phone: forgiving price input, clear refusals, nothing half-saved."""

import unicodedata

import pytest

from marketplace.catalog.models import Product, ProductStatus
from marketplace.errors import DomainError, ValidationFailed
from producers import listings
from producers.listings import ListingInput, parse_price, parse_quantity
from producers.models import OcopCertificate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, amount",
    [
        ("125000", 125_000),
        ("125.000", 125_000),
        ("125,000", 125_000),
        ("125k", 125_000),
        ("125K", 125_000),
        ("12.5k", 12_500),
        ("1,5tr", 1_500_000),
        ("1.250.000 ₫", 1_250_000),
        ("125.000đ", 125_000),
        (" 90 000 ", 90_000),
        (125_000, 125_000),
        ("0", 0),
    ],
)
def test_price_input_is_understood(text, amount):
    assert parse_price(text) == amount


@pytest.mark.parametrize(
    "text", ["", "abc", "12.5", "1.2.3k", "125kk", "12,34", "-5000", "1e6", "5 triệu đồng nhé"]
)
def test_junk_price_is_refused_clearly(text):
    with pytest.raises(DomainError) as caught:
        parse_price(text)
    assert caught.value.code == "INVALID_PRICE"
    assert caught.value.field == "price"


def test_price_above_a_billion_is_refused():
    with pytest.raises(DomainError, match="1 tỷ"):
        parse_price("2000tr")


def test_negative_and_junk_stock_are_refused():
    assert parse_quantity("1.200") == 1200
    with pytest.raises(DomainError, match="không được âm"):
        parse_quantity("-3")
    with pytest.raises(DomainError, match="số nguyên"):
        parse_quantity("nhiều")


def _input(**overrides) -> ListingInput:
    values = dict(
        name="Mắm cá linh", product_set_code="1.8", unit="hũ 500g", price="85k", stock="12"
    )
    return ListingInput(**{**values, **overrides})


def test_create_listing_normalises_text_and_starts_as_draft(owner, producer):
    decomposed = unicodedata.normalize("NFD", "Mắm cá linh  Châu Đốc")
    product = listings.create_listing(
        owner, producer, _input(name=decomposed, description=unicodedata.normalize("NFD", "Ngon"))
    )
    assert product.name == "Mắm cá linh Châu Đốc"
    assert unicodedata.is_normalized("NFC", product.name)
    assert product.description == "Ngon"
    assert product.price == 85_000
    assert product.stock.quantity == 12
    assert product.status == ProductStatus.DRAFT
    assert product.sku.startswith("AG0001-")


def test_invalid_listing_reports_every_field_and_saves_nothing(owner, producer):
    count = Product.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        listings.create_listing(owner, producer, _input(name="", price="rẻ lắm", stock="-1"))
    assert {e.field for e in caught.value.errors} == {"name", "price", "stock"}
    assert Product.objects.count() == count


def test_megabyte_description_is_refused(owner, producer):
    count = Product.objects.count()
    with pytest.raises(DomainError) as caught:
        listings.create_listing(owner, producer, _input(description="mắm " * 250_000))
    assert caught.value.code == "DESCRIPTION_TOO_LONG"
    assert Product.objects.count() == count


def test_certificate_of_another_producer_is_refused(owner, producer, other_producer):
    foreign = OcopCertificate.objects.filter(producer=other_producer).first()
    with pytest.raises(ValidationFailed) as caught:
        listings.create_listing(owner, producer, _input(certificate_number=foreign.number))
    assert caught.value.errors[0].code == "CERTIFICATE_NOT_OWNED"


def test_update_keeps_sku_status_and_sets_stock(owner, product):
    sku, status = product.sku, product.status
    updated = listings.update_listing(
        owner,
        product.pk,
        _input(name="Mắm thái đặc biệt", price="230.000", stock="7", product_set_code="1.8"),
    )
    assert (updated.sku, updated.status, updated.price) == (sku, status, 230_000)
    assert updated.stock.quantity == 7


def test_quick_update_publish_hide_duplicate(owner, product):
    listings.quick_update(owner, product.pk, price="199k", stock="3")
    product.refresh_from_db()
    assert product.price == 199_000 and product.stock.quantity == 3

    listings.set_published(owner, product.pk, False)
    assert Product.objects.get(pk=product.pk).status == ProductStatus.HIDDEN
    listings.set_published(owner, product.pk, True)
    assert Product.objects.get(pk=product.pk).status == ProductStatus.PUBLISHED

    copy = listings.duplicate_listing(owner, product.pk)
    assert copy.pk != product.pk and copy.name.endswith("(bản sao)")
    assert copy.status == ProductStatus.DRAFT and copy.stock.quantity == 0
    assert (copy.price, copy.unit, copy.certificate_id) == (
        product.price,
        product.unit,
        product.certificate_id,
    )


def test_quick_update_refuses_junk_without_partial_write(owner, product):
    price, quantity = product.price, product.stock.quantity
    with pytest.raises(ValidationFailed):
        listings.quick_update(owner, product.pk, price="100k", stock="-2")
    product.refresh_from_db()
    assert (product.price, product.stock.quantity) == (price, quantity)


def test_publishing_is_refused_for_a_suspended_producer(owner, producer, product):
    listings.set_published(owner, product.pk, False)
    producer.is_active = False
    producer.save()
    with pytest.raises(DomainError) as caught:
        listings.set_published(owner, product.pk, True)
    assert caught.value.code == "PRODUCER_INACTIVE"


def test_other_producers_products_are_not_found(owner, other_product):
    for operation in (
        lambda: listings.quick_update(owner, other_product.pk, stock="1"),
        lambda: listings.set_published(owner, other_product.pk, False),
        lambda: listings.duplicate_listing(owner, other_product.pk),
        lambda: listings.update_listing(owner, other_product.pk, _input()),
    ):
        with pytest.raises(DomainError) as caught:
            operation()
        assert caught.value.code == "NOT_FOUND"


# --- Through the pages ----------------------------------------------------------------------


def test_create_page_flow(client, owner, producer):
    client.force_login(owner)
    page = client.get("/portal/san-pham/moi/")
    assert page.status_code == 200
    assert 'inputmode="numeric"' in page.content.decode()
    response = client.post(
        "/portal/san-pham/moi/",
        {
            "producer": producer.code,
            "name": "Khô cá lóc một nắng Tri Tôn",
            "product_set": "1.8",
            "unit": "gói 250g",
            "price": "125.000",
            "stock": "20",
            "certificate": "",
            "description": "Phơi nắng",
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(name="Khô cá lóc một nắng Tri Tôn")
    assert response["Location"] == f"/portal/san-pham/{product.pk}/anh/"
    assert product.price == 125_000 and product.producer == producer


def test_create_page_shows_field_errors(client, owner, producer):
    client.force_login(owner)
    count = Product.objects.count()
    response = client.post(
        "/portal/san-pham/moi/",
        {
            "producer": producer.code,
            "name": "Khô cá lóc",
            "product_set": "1.8",
            "unit": "gói",
            "price": "một trăm",
            "stock": "-4",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Không hiểu giá" in body and "không được âm" in body
    assert Product.objects.count() == count


def test_list_page_quick_edit(client, owner, product, django_assert_max_num_queries):
    client.force_login(owner)
    with django_assert_max_num_queries(8):
        page = client.get("/portal/san-pham/")
    assert product.name in page.content.decode()
    response = client.post(f"/portal/san-pham/{product.pk}/sua-nhanh/", {"price": "99k"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.price == 99_000
    response = client.post(
        f"/portal/san-pham/{product.pk}/sua-nhanh/", {"stock": "-1"}, follow=True
    )
    assert "không được âm" in response.content.decode()
