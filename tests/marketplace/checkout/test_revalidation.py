"""checkoutComplete checks again what may have changed since the checkout was made."""

import datetime

import pytest
from django.utils import timezone

from marketplace.catalog.models import Product, ProductStatus, Stock
from marketplace.checkout.models import Checkout, Order
from marketplace.checkout.services.complete import complete_checkout
from marketplace.errors import DomainError, ValidationFailed
from marketplace.money import format_vnd
from marketplace.payments.models import PaymentMethod
from tests.marketplace.checkout.buying import checkout_for, three_producers
from tests.marketplace.checkout.test_views import checkout_post, fill_cart

pytestmark = pytest.mark.django_db

COMPLETE = """mutation($id: ID!) { checkoutComplete(checkoutId: $id, paymentMethod: COD) {
  order { number total { amount } } checkout { totalPrice { amount } }
  errors { field code message } } }"""


def test_a_price_change_is_reported_with_the_new_total_and_confirmed_by_completing_again():
    a, b = three_producers()[:2]
    checkout = checkout_for([a, b], quantity=2)
    stock_before = Stock.objects.get(product=a).quantity
    Product.objects.filter(pk=a.pk).update(price=a.price + 5000)
    with pytest.raises(DomainError) as caught:
        complete_checkout(checkout.pk, PaymentMethod.COD)
    checkout.refresh_from_db()
    assert caught.value.code == "PRICE_CHANGED"
    assert checkout.subtotal == (a.price + 5000) * 2 + b.price * 2
    assert format_vnd(checkout.total) in caught.value.message
    assert not Order.objects.filter(checkout=checkout).exists()
    assert Stock.objects.get(product=a).quantity == stock_before  # nothing taken yet
    # Completing again is the shopper's confirmation of the new total.
    order = complete_checkout(checkout.pk, PaymentMethod.COD)
    assert order.total == checkout.total
    assert {line.unit_price for line in order.sub_orders.get(producer=a.producer).lines.all()} == {
        a.price + 5000
    }


def test_graphql_price_changed_returns_the_repriced_checkout(graphql):
    product = three_producers()[0]
    checkout = checkout_for([product])
    Product.objects.filter(pk=product.pk).update(price=product.price - 1000)
    first = graphql(COMPLETE, {"id": str(checkout.pk)})["data"]["checkoutComplete"]
    assert first["order"] is None
    assert [e["code"] for e in first["errors"]] == ["PRICE_CHANGED"]
    new_total = Checkout.objects.get(pk=checkout.pk).total
    assert new_total == checkout.total - 1000
    assert first["checkout"]["totalPrice"]["amount"] == new_total
    second = graphql(COMPLETE, {"id": str(checkout.pk)})["data"]["checkoutComplete"]
    assert second["errors"] == [] and second["order"]["total"]["amount"] == new_total


def test_a_hidden_listing_is_not_available_naming_the_line():
    a, b = three_producers()[:2]
    checkout = checkout_for([a, b])
    Product.objects.filter(pk=b.pk).update(status=ProductStatus.HIDDEN)
    with pytest.raises(ValidationFailed) as caught:
        complete_checkout(checkout.pk, PaymentMethod.COD)
    assert [(e.code, e.field) for e in caught.value.errors] == [("NOT_AVAILABLE", "lines[1]")]
    assert b.sku in caught.value.errors[0].message
    assert not Order.objects.filter(checkout=checkout).exists()


def test_a_suspended_producer_is_not_available(graphql):
    a, b = three_producers()[:2]
    checkout = checkout_for([a, b])
    a.producer.is_active = False
    a.producer.save(update_fields=["is_active"])
    result = graphql(COMPLETE, {"id": str(checkout.pk)})["data"]["checkoutComplete"]
    assert result["order"] is None
    assert [(e["code"], e["field"]) for e in result["errors"]] == [("NOT_AVAILABLE", "lines[0]")]
    assert a.producer.name in result["errors"][0]["message"]


def test_a_checkout_expires_after_24_hours():
    checkout = checkout_for(three_producers()[:1])
    Checkout.objects.filter(pk=checkout.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=24, minutes=1)
    )
    with pytest.raises(DomainError) as caught:
        complete_checkout(checkout.pk, PaymentMethod.COD)
    assert (caught.value.code, caught.value.field) == ("CHECKOUT_EXPIRED", "checkout_id")
    assert not Order.objects.filter(checkout=checkout).exists()


def test_an_order_made_in_time_is_still_found_after_expiry():
    checkout = checkout_for(three_producers()[:1])
    order = complete_checkout(checkout.pk, PaymentMethod.COD)
    Checkout.objects.filter(pk=checkout.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    assert complete_checkout(checkout.pk, PaymentMethod.COD).pk == order.pk


def test_the_checkout_page_confirms_a_price_change_in_vietnamese(client):
    product = three_producers()[0]
    fill_cart(client, [product])
    shown = client.get("/thanh-toan/").content.decode()
    assert f'name="confirmed_subtotal" value="{product.price}"' in shown
    Product.objects.filter(pk=product.pk).update(price=product.price + 2000)
    response = client.post("/thanh-toan/", checkout_post(confirmed_subtotal=product.price))
    page = response.content.decode()
    assert response.status_code == 200 and not Order.objects.exists()
    assert "Giá đã thay đổi" in page and format_vnd(product.price + 2000) in page
    assert f'name="confirmed_subtotal" value="{product.price + 2000}"' in page
    again = client.post("/thanh-toan/", checkout_post(confirmed_subtotal=product.price + 2000))
    assert again.status_code == 302
    assert Order.objects.get().subtotal == product.price + 2000


def test_the_checkout_page_names_a_listing_hidden_meanwhile(client):
    product = three_producers()[0]
    fill_cart(client, [product])
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.HIDDEN)
    response = client.post("/thanh-toan/", checkout_post(confirmed_subtotal=product.price))
    assert response.status_code == 200 and not Order.objects.exists()
    assert f"“{product.name}” hiện không bán" in response.content.decode()
