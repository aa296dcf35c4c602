"""The shopper's pages: cart → checkout → confirmation (with VietQR) → lookup."""

import pytest

from marketplace.checkout.models import Order
from tests.marketplace.checkout.buying import three_producers

pytestmark = pytest.mark.django_db


def fill_cart(client, products, quantity=1):
    for product in products:
        response = client.post("/gio-hang/them/", {"sku": product.sku, "quantity": quantity})
        assert response.status_code == 302


def checkout_post(province="01", ward="00004", method="vietqr", **extra):
    data = {
        "full_name": "Nguyễn Thị Lan",
        "phone": "0912 345 678",
        "email": "lan@example.vn",
        "province_code": province,
        "ward_code": ward,
        "street_address": "12 Phố Điện Biên Phủ",
        "postal_code": "",
        "vpostcode": "",
        "note": "",
        "payment_method": method,
    }
    data.update(extra)
    return data


def test_cart_page_lists_lines_in_vietnamese(client):
    products = three_producers()
    fill_cart(client, products, quantity=2)
    page = client.get("/gio-hang/").content.decode()
    assert "Giỏ hàng" in page
    for product in products:
        assert product.name in page
    total = sum(p.price * 2 for p in products)
    assert f"{total:,}".replace(",", ".") in page


def test_cart_rejects_bad_quantity_with_a_message(client):
    product = three_producers()[0]
    client.post("/gio-hang/them/", {"sku": product.sku, "quantity": "0"})
    page = client.get("/gio-hang/").content.decode()
    assert "Số lượng phải từ 1" in page


def test_province_choice_reloads_the_ward_list_without_javascript(client):
    fill_cart(client, three_producers()[:1])
    page = client.get("/thanh-toan/", {"province_code": "91"}).content.decode()
    assert "Phường Châu Đốc" in page and "Đặc khu Phú Quốc" in page
    posted = client.post(
        "/thanh-toan/",
        {"province_code": "01", "choose_province": "1", "full_name": "Nguyễn Thị Lan"},
    )
    html = posted.content.decode()
    assert "Phường Ba Đình" in html
    # What was typed stays; nothing is an error yet, since the shopper is not done.
    assert 'value="Nguyễn Thị Lan"' in html and 'role="alert"' not in html
    assert not Order.objects.exists()


def test_checkout_places_the_order_and_shows_the_vietqr_code(client):
    products = three_producers()
    fill_cart(client, products)
    response = client.post("/thanh-toan/", checkout_post())
    assert response.status_code == 302
    order = Order.objects.get()
    assert response.url == f"/don-hang/{order.number}/"
    page = client.get(response.url).content.decode()
    assert order.number in page
    qr_url = f"/don-hang/{order.number}/vietqr.png"
    assert f'src="{qr_url}"' in page
    qr = client.get(qr_url)
    assert qr.status_code == 200 and qr["Content-Type"] == "image/png"
    assert qr.content.startswith(b"\x89PNG")
    assert order.vpostcode in page
    assert "0912 345 678" in page
    for product in products:
        assert product.producer.name in page
    assert client.get("/gio-hang/").content.decode().count("Giỏ hàng đang trống") == 1


def test_checkout_errors_are_shown_and_nothing_is_ordered(client):
    fill_cart(client, three_producers()[:1])
    response = client.post("/thanh-toan/", checkout_post(phone="123"))
    assert response.status_code == 200
    assert "Số điện thoại không hợp lệ" in response.content.decode()
    assert not Order.objects.exists()


def test_order_page_is_private_and_lookup_by_number_and_phone_opens_it(client, django_user_model):
    fill_cart(client, three_producers()[:1])
    client.post("/thanh-toan/", checkout_post(method="cod"))
    order = Order.objects.get()
    client.logout()
    client.cookies.clear()
    assert client.get(f"/don-hang/{order.number}/").status_code == 404
    wrong = client.post("/don-hang/tra-cuu/", {"number": order.number, "phone": "0900000000"})
    assert "Không tìm thấy đơn hàng" in wrong.content.decode()
    right = client.post("/don-hang/tra-cuu/", {"number": order.number, "phone": "0912345678"})
    assert right.status_code == 302
    assert client.get(right.url).status_code == 200


def test_old_address_page_offers_the_new_wards(client):
    page = client.get(
        "/thanh-toan/dia-chi-cu/",
        {"province": "An Giang", "district": "Huyện An Phú", "ward": "Xã Phú Hội"},
    ).content.decode()
    assert "Xã Phú Hội, Huyện An Phú, Tỉnh An Giang" in page
    assert "Xã An Phú" in page and "Xã Nhơn Hội" in page
    assert "ward_code=30337" in page
    missing = client.get(
        "/thanh-toan/dia-chi-cu/", {"province": "An Giang", "district": "Châu Đốc", "ward": "Xã Ma"}
    ).content.decode()
    assert "Không tìm thấy" in missing
