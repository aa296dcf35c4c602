"""Listings that can't be taken off sale by a slip of the thumb, labels that can't be confused,
prices with thousands separators wherever they are shown or edited."""

import pytest

from marketplace.catalog.models import ProductStatus
from marketplace.money import format_vnd
from producers.listings import parse_price

pytestmark = pytest.mark.django_db


def test_hiding_asks_first_and_only_the_confirmation_hides(client, owner, product):
    assert product.status == ProductStatus.PUBLISHED
    client.force_login(owner)
    url = f"/portal/san-pham/{product.pk}/dang-ban/"
    page = client.post(url, {"action": "hide"})
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Ngừng bán “{product.name}”?" in body and 'name="confirm" value="1"' in body
    product.refresh_from_db()
    assert product.status == ProductStatus.PUBLISHED
    response = client.post(url, {"action": "hide", "confirm": "1"}, follow=True)
    assert f"Đã ngừng bán {product.name}." in response.content.decode()
    product.refresh_from_db()
    assert product.status == ProductStatus.HIDDEN


def test_labels_cannot_be_confused(client, owner, product):
    client.force_login(owner)
    body = client.get("/portal/san-pham/").content.decode()
    assert ">Ngừng bán</button>" in body and ">Ảnh sản phẩm</a>" in body
    assert ">Ẩn<" not in body and ">Ảnh<" not in body


def test_prices_show_thousands_separators_and_read_back(client, owner, product):
    client.force_login(owner)
    shown = format_vnd(product.price)
    assert "." in shown
    listing = client.get("/portal/san-pham/").content.decode()
    assert f'name="price" inputmode="numeric" value="{shown}"' in listing  # quick edit
    edit = client.get(f"/portal/san-pham/{product.pk}/").content.decode()
    assert f'value="{shown}"' in edit
    assert parse_price(shown) == product.price
    # saving the quick edit as shown changes nothing but what was typed
    client.post(f"/portal/san-pham/{product.pk}/sua-nhanh/", {"price": shown, "stock": "9"})
    product.refresh_from_db()
    assert product.price == parse_price(shown) and product.stock.quantity == 9
