"""Optional shopper accounts: SMS-code sign-in, history, saved addresses, reorder; never a way
into the portal or the admin; guest checkout untouched."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.accounts import services
from marketplace.accounts.models import SavedAddress, Shopper, ShopperCode
from marketplace.catalog.models import Stock
from marketplace.checkout.models import CartLine
from marketplace.errors import DomainError
from tests.marketplace.reviews.conftest import BUYER_PHONE, place_order

pytestmark = pytest.mark.django_db


def _code(sms_outbox) -> str:
    return re.search(r"\b(\d{6})\b", sms_outbox[-1].text).group(1)


def _sign_in(client, sms_outbox, phone="0912 345 678"):
    assert client.post("/tai-khoan/dang-nhap/", {"phone": phone}).status_code == 302
    response = client.post("/tai-khoan/nhap-ma/", {"code": _code(sms_outbox)})
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"


def test_sign_in_by_sms_code_shows_the_phones_orders(client, sms_outbox, order):
    assert client.get("/tai-khoan/").status_code == 302  # not signed in
    assert client.get(f"/don-hang/{order.number}/").status_code == 404
    _sign_in(client, sms_outbox)
    assert sms_outbox[-1].phone == BUYER_PHONE
    page = client.get("/tai-khoan/").content.decode()
    assert order.number in page and "0912 345 678" in page
    assert client.get(f"/don-hang/{order.number}/").status_code == 200  # linked at sign-in
    assert Shopper.objects.get(phone=BUYER_PHONE).verified_at is not None
    assert client.post("/tai-khoan/dang-xuat/").status_code == 302
    assert client.get(f"/don-hang/{order.number}/").status_code == 404  # forgotten
    assert client.get("/tai-khoan/").status_code == 302


def test_another_phone_sees_none_of_them(client, sms_outbox, order):
    _sign_in(client, sms_outbox, phone="0933 333 333")
    assert order.number not in client.get("/tai-khoan/").content.decode()
    assert client.get(f"/don-hang/{order.number}/").status_code == 404
    response = client.post(f"/tai-khoan/don-hang/{order.number}/dat-lai/")
    assert response.status_code == 302 and not CartLine.objects.exists()


def test_every_wrong_code_counts_and_the_code_dies_after_five(sms_outbox):
    services.request_code("0912345678")
    code = _code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(DomainError) as caught:
            services.sign_in(BUYER_PHONE, wrong)
        assert caught.value.code == "CODE_WRONG"
        assert f"Còn {left} lần thử" in caught.value.message
    with pytest.raises(DomainError) as caught:
        services.sign_in(BUYER_PHONE, wrong)
    assert caught.value.code == "CODE_EXPIRED"
    with pytest.raises(DomainError):
        services.sign_in(BUYER_PHONE, code)  # right, but too late
    assert Shopper.objects.get().verified_at is None


def test_codes_expire_work_once_and_three_an_hour_per_phone(sms_outbox):
    services.request_code("0912345678")
    ShopperCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(DomainError) as caught:
        services.sign_in(BUYER_PHONE, _code(sms_outbox))
    assert caught.value.code == "CODE_EXPIRED"
    services.request_code("+84 912 345 678")
    code = _code(sms_outbox)
    assert services.sign_in(BUYER_PHONE, code).phone == BUYER_PHONE
    with pytest.raises(DomainError):
        services.sign_in(BUYER_PHONE, code)  # single use
    services.request_code("0912345678")  # the hour's third code
    services.request_code("0912345678")
    assert len(sms_outbox) == 3
    with pytest.raises(DomainError) as caught:
        services.request_code("12345")
    assert caught.value.code == "INVALID_PHONE"


def test_a_shopper_never_gains_producer_or_staff_rights(client, sms_outbox, owner):
    # The producer owner's own phone: the SMS code signs in a shopper, not the Django account.
    _sign_in(client, sms_outbox, phone=owner.username)
    assert "_auth_user_id" not in client.session
    portal = client.get("/portal/")
    assert portal.status_code == 302 and "/portal/dang-nhap/" in portal["Location"]
    assert client.get("/admin/").status_code == 302
    assert client.get("/office/").status_code == 302
    body = client.post(
        "/graphql/",
        {"query": "{ subOrders(first: 5) { edges { node { id } } } }"},
        content_type="application/json",
    ).json()
    assert not (body.get("data") or {}).get("subOrders", {}).get("edges")


def test_saved_address_prefills_checkout_and_reorder_fills_the_cart(client, sms_outbox, product):
    _sign_in(client, sms_outbox)
    order = place_order(product, 2)
    shopper = Shopper.objects.get(phone=BUYER_PHONE)
    saved = services.remember_address(shopper, order)
    assert services.remember_address(shopper, order) == saved  # once
    response = client.post(f"/tai-khoan/don-hang/{order.number}/dat-lai/")
    assert response.status_code == 302 and response["Location"] == "/gio-hang/"
    assert list(CartLine.objects.values_list("product_id", "quantity")) == [(product.pk, 2)]
    page = client.get("/thanh-toan/").content.decode()
    assert 'value="Nguyễn Thị Lan"' in page and "12 Phố Điện Biên Phủ" in page
    assert f'<option value="{saved.ward_id}" selected>' in page
    assert client.post(f"/tai-khoan/dia-chi/{saved.pk}/xoa/").status_code == 302
    assert not SavedAddress.objects.exists()


def test_reorder_respects_stock_and_status(client, sms_outbox, product):
    _sign_in(client, sms_outbox)
    order = place_order(product, 3)
    Stock.objects.filter(product=product).update(quantity=1)
    shopper = Shopper.objects.get(phone=BUYER_PHONE)
    from marketplace.checkout.models import Cart

    result = services.reorder(shopper, order.number, Cart.objects.create())
    assert result.added == [] and product.name in result.skipped[0]
    with pytest.raises(DomainError) as caught:
        services.reorder(shopper, "NOPE", Cart.objects.create())
    assert caught.value.code == "NOT_FOUND"


def test_guest_checkout_needs_no_account(client, product):
    client.post("/gio-hang/them/", {"sku": product.sku, "quantity": 1})
    page = client.get("/thanh-toan/")
    assert page.status_code == 200 and 'name="full_name"' in page.content.decode()
    assert not Shopper.objects.exists()
