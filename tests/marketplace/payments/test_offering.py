"""Only methods that can work are offered; a failed card start leaves a way to pay another way;
the VietQR page names the bank, lets the shopper copy and save, and refreshes until paid."""

import re

import pytest
import zxingcpp
from PIL import Image
from vietnam_qr_pay.constants.banks import BanksObject

from marketplace.checkout.models import Order
from marketplace.errors import DomainError
from marketplace.payments import offering, services, vietqr
from marketplace.payments.models import PaymentMethod, PaymentStatus
from marketplace.payments.statement import StatementLine
from tests.marketplace.checkout.buying import checkout_for, three_producers
from tests.marketplace.checkout.test_views import checkout_post, fill_cart

pytestmark = pytest.mark.django_db


def test_stripe_is_offered_only_with_real_keys_or_a_stripe_api_base(settings):
    settings.STRIPE_API_BASE = ""
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_123", "pk_test_123"
    assert offering.offered_methods() == [PaymentMethod.COD, PaymentMethod.VIETQR]
    settings.STRIPE_API_BASE = "http://127.0.0.1:12200"  # stripe-mock
    assert PaymentMethod.STRIPE in offering.offered_methods()
    settings.STRIPE_API_BASE = ""
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_live_abc", "pk_live_abc"
    assert PaymentMethod.STRIPE in offering.offered_methods()
    settings.VIETQR_ACCOUNT_NUMBER = ""
    assert PaymentMethod.VIETQR not in offering.offered_methods()


def test_the_checkout_page_lists_only_offered_methods(client, settings):
    settings.STRIPE_API_BASE = ""
    fill_cart(client, three_producers()[:1])
    page = client.get("/thanh-toan/").content.decode()
    assert 'value="vietqr"' in page and 'value="cod"' in page
    assert 'value="stripe"' not in page
    posted = client.post("/thanh-toan/", checkout_post(method="stripe"))
    assert posted.status_code == 200 and not Order.objects.exists()


def test_an_unoffered_method_is_refused_by_the_service(settings):
    settings.STRIPE_API_BASE = ""
    checkout = checkout_for(three_producers()[:1])
    from marketplace.checkout import services as checkout_services

    with pytest.raises(DomainError) as refused:
        checkout_services.complete_checkout(checkout.pk, PaymentMethod.STRIPE)
    assert (refused.value.code, refused.value.field) == ("PAYMENT_UNAVAILABLE", "payment_method")
    assert not Order.objects.exists()


def test_bank_names_come_from_vietnam_qr_pay_by_bin():
    assert offering.bank_for_bin("970403").short_name == "Sacombank"
    assert offering.bank_for_bin("970436").short_name == "Vietcombank"
    assert offering.bank_for_bin("000000") is None
    # Every current bank of the library's list answers with its own name.
    for bank in BanksObject.values():
        if not bank.deprecated:
            assert offering.bank_for_bin(bank.bin) is not None


def _vietqr_order(client):
    fill_cart(client, three_producers()[:2])
    assert client.post("/thanh-toan/", checkout_post(method="vietqr")).status_code == 302
    return Order.objects.select_related("payment").get()


def test_the_vietqr_page_has_bank_copyable_details_a_saveable_qr_and_refreshes(client):
    order = _vietqr_order(client)
    response = client.get(f"/don-hang/{order.number}/")
    assert response["Refresh"] == "15"  # reloads itself without script until paid
    page = response.content.decode()
    assert "Sacombank" in page and "Ngân hàng TMCP Sài Gòn Thương Tín" in page
    stopped = client.get(f"/don-hang/{order.number}/?tu-cap-nhat=tat")
    assert "Refresh" not in stopped and "Sacombank" in stopped.content.decode()
    assert 'id="vietqr-account">0011012345678<' in page
    assert f'id="vietqr-note">{order.number}<' in page
    assert page.count('class="btn light copy"') == 2 and "checkout/copy" in page
    assert f'download="vietqr-{order.number}.png"' in page
    amount = re.search(r'class="big-amount">([^<]+)<', page).group(1)
    assert amount.replace(".", "").replace("\xa0₫", "") == str(order.total)
    png = client.get(f"/don-hang/{order.number}/vietqr.png")
    import io

    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert [d.text for d in decoded] == [order.payment.vietqr_payload]
    parsed = vietqr.parse(decoded[0].text)
    assert parsed.consumer.bank_bin == "970403" and parsed.amount == str(order.total)
    assert parsed.additional_data.bill_number == order.number


def test_after_reconciliation_the_page_says_money_received_and_stops_refreshing(client):
    order = _vietqr_order(client)
    results = services.reconcile_vietqr([StatementLine(2, order.number, order.total, "tx-1")])
    assert [r.outcome for r in results] == ["paid"]
    response = client.get(f"/don-hang/{order.number}/")
    page = response.content.decode()
    assert "Đã nhận tiền" in page
    assert "Refresh" not in response and "vietqr-account" not in page


def test_the_qr_image_and_the_switch_are_private_to_the_orders_browser(client, settings):
    order = _vietqr_order(client)
    client.cookies.clear()
    assert client.get(f"/don-hang/{order.number}/vietqr.png").status_code == 404
    assert (
        client.post(f"/don-hang/{order.number}/doi-cach-tra/", {"method": "cod"}).status_code == 404
    )
    order.payment.refresh_from_db()
    assert order.payment.method == PaymentMethod.VIETQR


def test_a_failed_card_start_shows_why_and_lets_the_shopper_pay_another_way(client, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # offered, but nothing listens
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    fill_cart(client, three_producers()[:1])
    response = client.post("/thanh-toan/", checkout_post(method="stripe"))
    order = Order.objects.select_related("payment").get()
    page = client.get(response.url).content.decode()
    assert "Chưa kết nối được cổng thanh toán thẻ" in page
    assert 'id="stripe-submit"' not in page  # no dead button
    assert f'action="/don-hang/{order.number}/doi-cach-tra/"' in page
    assert 'value="vietqr"' in page and 'value="cod"' in page
    switched = client.post(f"/don-hang/{order.number}/doi-cach-tra/", {"method": "vietqr"})
    assert switched.status_code == 302
    order.payment.refresh_from_db()
    assert order.payment.method == PaymentMethod.VIETQR and order.payment.vietqr_payload
    assert order.payment.status == PaymentStatus.PENDING
    page = client.get(f"/don-hang/{order.number}/").content.decode()
    assert "Sacombank" in page and "Chưa kết nối" not in page


def test_switching_to_an_unoffered_method_is_refused_with_a_message(client, settings):
    settings.STRIPE_API_BASE = ""
    order = _vietqr_order(client)
    page = client.get(f"/don-hang/{order.number}/").content.decode()
    assert 'value="stripe"' not in page
    response = client.post(
        f"/don-hang/{order.number}/doi-cach-tra/", {"method": "stripe"}, follow=True
    )
    assert "không dùng được" in response.content.decode()
    order.payment.refresh_from_db()
    assert order.payment.method == PaymentMethod.VIETQR
