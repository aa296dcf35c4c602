"""Orders as a seller works them: who, where, how it is paid, the slip, the lots it ships from."""

import datetime
import re

import pytest

from marketplace.catalog import gtin
from marketplace.catalog.models import Product
from marketplace.checkout.models import OrderLineLot, OrderStatus, SubOrder
from marketplace.checkout.services.checkout import LineRequest, create_checkout
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.errors import DomainError
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod
from producers import listings
from tests.marketplace.checkout.buying import hanoi_address
from tests.producers.portal import slips
from tests.producers.portal.pictures import jpeg_bytes, upload
from traceability.lots import BatchData, create_batch

pytestmark = pytest.mark.django_db

SHIP = {"action": "ship", "carrier": "Viettel Post", "tracking_number": "VTP-778899"}


def _order(product, method=PaymentMethod.COD, quantity=1, note="Gọi trước 30 phút"):
    lines = [LineRequest(product.sku, quantity)]
    checkout = create_checkout(lines, hanoi_address(), email="lan@example.vn", note=note)
    order = complete_checkout(checkout.pk, method)
    return order.sub_orders.get(producer=product.producer)


def _lot(product, code, packed_on, units=50):
    batch, _ = create_batch(
        BatchData(
            product=product,
            lot=code,
            packed_on=packed_on,
            best_before=packed_on + datetime.timedelta(days=365),
            units=units,
        )
    )
    return batch


@pytest.fixture
def vietqr_sub_order(product):
    return _order(product, PaymentMethod.VIETQR)


@pytest.fixture
def newest_lot(product):
    return _lot(product, "MOINHAT", datetime.date.today())


def _card(page: str, sub) -> str:
    """One order's card out of the orders page."""
    return page.split(f'id="o{sub.pk}"', 1)[1].split('class="card order"', 1)[0]


def test_card_shows_recipient_phone_zalo_address_note_items_and_cod(client, owner, product):
    picture = listings.add_photo(owner, product.pk, upload(jpeg_bytes((64, 64))))
    sub = _order(product, quantity=2)
    client.force_login(owner)
    page = client.get("/portal/don-hang/").content.decode()
    card = _card(page, sub)
    order = sub.order
    assert order.full_name in card
    assert 'href="tel:+84912345678"' in card
    assert 'href="https://zalo.me/0912345678"' in card
    assert "12 Phố Điện Biên Phủ" in card and order.ward.name in card
    assert order.province.name in card and order.vpostcode and order.vpostcode in card
    assert "Gọi trước 30 phút" in card
    assert f"2 × {product.name}" in card
    assert picture.thumbnail_url(160) in card  # the product's thumbnail
    assert "Thu hộ" in card and f"{sub.total:,}".replace(",", ".") in card
    assert "Xác nhận đơn" in card


def test_orders_page_title_is_plain_text(client, owner, sub_order):
    client.force_login(owner)
    page = client.get("/portal/don-hang/").content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title and "datalist" not in title
    assert title.startswith("Đơn hàng")


def test_unpaid_vietqr_cannot_be_confirmed_or_shipped(client, owner, vietqr_sub_order):
    sub = vietqr_sub_order
    client.force_login(owner)
    page = client.get("/portal/don-hang/").content.decode()
    assert "Chờ thanh toán" in page and "Đang chờ khách chuyển khoản" in page
    assert 'value="confirm"' not in _card(page, sub)
    response = client.post(f"/portal/don-hang/{sub.pk}/", {"action": "confirm"}, follow=True)
    assert "chưa thể xác nhận hay gửi hàng" in response.content.decode()
    sub.refresh_from_db()
    assert sub.status == OrderStatus.NEW
    # The rule is the service's, not the page's: the API and any other caller meet it too.
    with pytest.raises(DomainError) as raised:
        set_sub_order_status(sub.pk, OrderStatus.CONFIRMED)
    assert raised.value.code == "PAYMENT_AWAITING"
    # no slip either: a printed slip is how an unpaid parcel leaves
    response = client.get(f"/portal/don-hang/{sub.pk}/phieu-gui.pdf")
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == OrderStatus.NEW


def test_reconciled_vietqr_is_paid_and_ships(client, owner, vietqr_sub_order):
    sub = vietqr_sub_order
    results = payments.reconcile_vietqr(
        [payments.StatementLine(1, f"CK {sub.order.number}", sub.order.total, "FT001")]
    )
    assert results[0].outcome == "paid"
    client.force_login(owner)
    page = client.get("/portal/don-hang/").content.decode()
    assert "Đã thanh toán" in page
    client.post(f"/portal/don-hang/{sub.pk}/", {"action": "confirm"})
    client.post(f"/portal/don-hang/{sub.pk}/", SHIP)
    sub.refresh_from_db()
    assert sub.status == OrderStatus.SHIPPED


def test_shipping_records_the_newest_lot_by_default(client, owner, product, newest_lot):
    sub = _order(product, quantity=3)
    client.force_login(owner)
    client.post(f"/portal/don-hang/{sub.pk}/", {"action": "confirm"})
    page = client.get("/portal/don-hang/").content.decode()
    line = sub.lines.get()
    # the newest lot is offered first and ticked
    assert re.search(rf'name="lots-{line.pk}" value="{newest_lot.pk}" checked', page)
    client.post(f"/portal/don-hang/{sub.pk}/", SHIP)
    assert list(OrderLineLot.objects.filter(line=line).values_list("batch_id", "quantity")) == [
        (newest_lot.pk, 3)
    ]
    assert "MOINHAT" in client.get("/portal/don-hang/").content.decode()


def test_shipping_from_chosen_lots_splits_by_units_left(owner, product, newest_lot):
    older = _lot(product, "CU2", datetime.date.today() - datetime.timedelta(days=3), units=2)
    sub = _order(product, quantity=4)
    line = sub.lines.get()
    set_sub_order_status(sub.pk, OrderStatus.CONFIRMED)
    details = Fulfilment(
        carrier="GHN", tracking_number="GHN123", lots={line.pk: [older.pk, newest_lot.pk]}
    )
    set_sub_order_status(sub.pk, OrderStatus.SHIPPED, details)
    taken = dict(OrderLineLot.objects.filter(line=line).values_list("batch__lot", "quantity"))
    assert taken == {"CU2": 2, "MOINHAT": 2}


@pytest.mark.parametrize("whose", ["other product", "other producer"])
def test_a_lot_of_another_product_or_producer_is_refused(
    client, owner, producer, product, other_product, whose
):
    if whose == "other product":
        sibling = listings.create_listing(
            owner, producer, listings.ListingInput("Mắm cá lóc", "1.8", "hũ", 90_000, 5)
        )
        body = "893381063099"
        Product.objects.filter(pk=sibling.pk).update(gtin=body + str(gtin.check_digit(body)))
        sibling.refresh_from_db()
        foreign = _lot(sibling, "KHAC1", datetime.date.today())
        message = f"là lô của “{sibling.name}”"
    else:
        foreign = _lot(other_product, "KHAC2", datetime.date.today())
        message = "không phải lô của cơ sở bạn"
    sub = _order(product)
    line = sub.lines.get()
    client.force_login(owner)
    client.post(f"/portal/don-hang/{sub.pk}/", {"action": "confirm"})
    response = client.post(
        f"/portal/don-hang/{sub.pk}/", {**SHIP, f"lots-{line.pk}": foreign.pk}, follow=True
    )
    assert message in response.content.decode()
    sub.refresh_from_db()
    assert (sub.status, sub.tracking_number) == (OrderStatus.CONFIRMED, "")
    assert not OrderLineLot.objects.filter(line__sub_order=sub).exists()


def test_shipping_without_carrier_or_tracking_changes_nothing(owner, product, newest_lot):
    sub = _order(product)
    set_sub_order_status(sub.pk, OrderStatus.CONFIRMED)
    with pytest.raises(DomainError) as raised:
        set_sub_order_status(sub.pk, OrderStatus.SHIPPED, Fulfilment(carrier="GHN"))
    assert "Cần mã vận đơn" in raised.value.message
    sub.refresh_from_db()
    assert sub.status == OrderStatus.CONFIRMED
    assert not OrderLineLot.objects.exists()


def test_shipping_slip_is_a6_with_a_code128_of_the_order_number(client, owner, product):
    sub = _order(product, quantity=2)
    client.force_login(owner)
    response = client.get(f"/portal/don-hang/{sub.pk}/phieu-gui.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    (page,) = slips.pages(response.content)
    assert slips.page_size_mm(page) == (105, 148)  # A6
    assert slips.code128(page) == [sub.order.number]
    text = " ".join(slips.page_text(page).split())
    order = sub.order
    assert product.producer.name in text  # sender
    assert order.full_name in text and order.phone_display in text  # recipient
    assert order.ward.name in text and order.vpostcode in text
    assert re.search(r"Plus code: [23456789CFGHJMPQRVWX]{8}\+[23456789CFGHJMPQRVWX]{3}", text)
    assert "THU HỘ (COD)" in text and f"{sub.total:,}".replace(",", ".") in text
    assert f"2 × {product.name}" in text


def test_batch_print_puts_one_slip_per_order(client, owner, product):
    subs = [_order(product) for _ in range(3)]
    client.force_login(owner)
    query = "&".join(f"don={s.pk}" for s in subs)
    response = client.get(f"/portal/don-hang/phieu-gui.pdf?{query}")
    assert response.status_code == 200
    pages = slips.pages(response.content)
    assert [slips.code128(p) for p in pages] == [[s.order.number] for s in subs]


def test_batch_print_with_another_producers_order_is_not_found(
    client, owner, product, other_product
):
    mine, theirs = _order(product), _order(other_product)
    client.force_login(owner)
    response = client.get(f"/portal/don-hang/phieu-gui.pdf?don={mine.pk}&don={theirs.pk}")
    assert response.status_code == 404
    assert theirs.order.number.encode() not in response.content


def test_orders_page_queries_do_not_grow_with_orders(
    client, owner, product, newest_lot, django_assert_max_num_queries
):
    def orders(count):
        for _ in range(count):
            sub = _order(product)
            set_sub_order_status(sub.pk, OrderStatus.CONFIRMED)
            _order(product)

    orders(1)
    client.force_login(owner)
    with django_assert_max_num_queries(10) as few:
        client.get("/portal/don-hang/")
    orders(5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/portal/don-hang/")


def test_header_badge_counts_new_orders(client, owner, other_owner, product):
    for _ in range(2):
        _order(product)
    client.force_login(owner)
    page = client.get("/portal/san-pham/").content.decode()
    assert re.search(r'id="orders-link"[^>]*>Đơn<span class="count"[^>]*>2</span>', page)
    client.force_login(other_owner)
    page = client.get("/portal/san-pham/").content.decode()
    assert 'class="count"' not in page


def test_dashboard_figures_link_to_filtered_lists(client, owner, product, vietqr_sub_order):
    cod = _order(product)
    set_sub_order_status(cod.pk, OrderStatus.CONFIRMED)
    client.force_login(owner)
    page = client.get("/portal/").content.decode()

    def figure(name):
        match = re.search(rf'href="([^"]+)" id="fig-{name}"><span class="stat">([^<]+)<', page)
        return match.group(1).replace("&amp;", "&"), match.group(2)

    assert figure("today")[1] == "2"
    revenue = SubOrder.objects.filter(pk__in=[cod.pk, vietqr_sub_order.pk])
    assert figure("revenue")[1].replace(".", "").split("\xa0")[0] == str(
        sum(s.total for s in revenue)
    )
    assert figure("to-ship")[1] == "1" and figure("awaiting")[1] == "1"
    listed = client.get(figure("awaiting")[0]).content.decode()
    assert vietqr_sub_order.order.number in listed and cod.order.number not in listed
    listed = client.get(figure("to-ship")[0]).content.decode()
    assert cod.order.number in listed and vietqr_sub_order.order.number not in listed
    listed = client.get(figure("today")[0]).content.decode()
    assert cod.order.number in listed and vietqr_sub_order.order.number in listed


def test_new_order_notifies_the_producer_by_email_and_sms_after_commit(
    product, sms_outbox, mailoutbox, django_capture_on_commit_callbacks
):
    producer = product.producer
    producer.email, producer.phone = "shop@htx-anphu.vn", "0296 3861 234"
    producer.save(update_fields=["email", "phone"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sub = _order(product, quantity=2)
    assert sms_outbox == [] and mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    (text,) = [m for m in sms_outbox if m.phone == "+842963861234"]
    assert sub.order.number in text.text and f"#o{sub.pk}" in text.text
    assert f"{sub.total:,}".replace(",", ".") in text.text
    notice = [m for m in mailoutbox if m.to == ["shop@htx-anphu.vn"]]
    assert len(notice) == 1 and sub.order.number in notice[0].subject


def test_a_producer_phone_that_cannot_take_sms_does_not_lose_the_order(
    product, sms_outbox, django_capture_on_commit_callbacks
):
    producer = product.producer
    producer.phone = "123"
    producer.save(update_fields=["phone"])
    with django_capture_on_commit_callbacks(execute=True):
        sub = _order(product)
    assert SubOrder.objects.filter(pk=sub.pk).exists()
    assert sms_outbox == []


SHIP_BY_API = """mutation($id: ID!, $lots: [ShipLotsInput!]) {
  subOrderUpdate(id: $id, action: SHIP, carrier: "GHN", trackingNumber: "GHN-API-1", lots: $lots) {
    status errors { field code message } } }"""


def test_the_api_ships_from_lots_named_by_their_codes(graphql, client, owner, product, newest_lot):
    _lot(product, "CU3", datetime.date.today() - datetime.timedelta(days=3), units=2)
    sub = _order(product, quantity=3)
    set_sub_order_status(sub.pk, OrderStatus.CONFIRMED)
    client.force_login(owner)
    lots = [{"sku": product.sku, "lots": ["cu3", "MOINHAT"]}]
    payload = graphql(SHIP_BY_API, {"id": str(sub.pk), "lots": lots})["data"]["subOrderUpdate"]
    assert payload == {"status": "SHIPPED", "errors": []}
    taken = dict(
        OrderLineLot.objects.filter(line__sub_order=sub).values_list("batch__lot", "quantity")
    )
    assert taken == {"CU3": 2, "MOINHAT": 1}


def test_the_api_refuses_a_lot_or_product_the_sub_order_does_not_have(
    graphql, client, owner, product, other_product, newest_lot
):
    foreign = _lot(other_product, "KHAC9", datetime.date.today())
    sub = _order(product)
    set_sub_order_status(sub.pk, OrderStatus.CONFIRMED)
    client.force_login(owner)
    lots = [
        {"sku": product.sku, "lots": [foreign.lot]},
        {"sku": other_product.sku, "lots": [foreign.lot]},
    ]
    payload = graphql(SHIP_BY_API, {"id": str(sub.pk), "lots": lots})["data"]["subOrderUpdate"]
    assert payload["status"] is None
    assert payload["errors"] == [
        {
            "field": "lots",
            "code": "NOT_FOUND",
            "message": f"Sản phẩm {product.sku} không có lô KHAC9.",
        },
        {
            "field": "lots",
            "code": "NOT_FOUND",
            "message": f"Đơn này không có sản phẩm {other_product.sku}.",
        },
    ]
    sub.refresh_from_db()
    assert (sub.status, sub.tracking_number) == (OrderStatus.CONFIRMED, "")
    assert not OrderLineLot.objects.filter(line__sub_order=sub).exists()
