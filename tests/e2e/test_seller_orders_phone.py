"""A producer works an order from a phone: sees who and where, prints the slip (its barcode
decodes), ships from a lot; the shopper then sees the tracking number. Chromium at 360 × 740,
and no portal page scrolls sideways."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern

from marketplace.catalog.models import Product
from marketplace.catalog.stock import set_stock
from marketplace.checkout.models import Checkout, OrderLineLot
from marketplace.checkout.services.checkout import LineRequest, create_checkout
from marketplace.checkout.services.complete import complete_checkout
from marketplace.payments.models import PaymentMethod
from producers.models import MemberRole, Membership, Producer
from producers.portal.urls import urlpatterns
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.widths import assert_fits, assert_header_reads, page_width
from tests.marketplace.checkout.buying import hanoi_address
from tests.producers.portal import slips
from traceability.models import Batch

pytestmark = pytest.mark.e2e

PHONE_NUMBER = "+84905667788"
PASSWORD = "Mam-Thai-Chau-Doc-7-2025"
TRACKING = "VTP-E2E-0001"


@pytest.fixture
def received_order(transactional_db):
    """A committed owner and a cash-on-delivery order for its producer; all removed afterwards."""
    producer = Producer.objects.get(code="AG0001")
    product = Product.objects.filter(producer=producer).order_by("sku").first()
    stock_before = product.stock_quantity
    user = get_user_model().objects.create_user(PHONE_NUMBER, password=PASSWORD)
    Membership.objects.create(user=user, producer=producer, role=MemberRole.OWNER)
    checkout = create_checkout(
        [LineRequest(product.sku, 2)],
        hanoi_address(),
        email="lan@example.vn",
        note="Gọi trước khi giao",
    )
    order = complete_checkout(checkout.pk, PaymentMethod.COD)
    yield order.sub_orders.get(), product
    OrderLineLot.objects.filter(line__sub_order__order=order).delete()
    order.delete()
    Checkout.objects.filter(pk=checkout.pk).delete()
    set_stock(product, stock_before)
    user.delete()


def _portal_pages(product, lot) -> list[str]:
    """Every portal page a member opens with GET (sign-out and PDFs aside)."""
    pages = []
    for pattern in urlpatterns:
        if not isinstance(pattern, URLPattern):
            continue
        route = str(pattern.pattern)
        if any(skip in route for skip in ("dang-xuat", ".pdf", "xoa", "<uidb64>", "<token")):
            continue
        if route.startswith("lo/"):
            route = route.replace("<int:pk>", str(lot.pk))
        elif route.startswith("san-pham/"):
            route = route.replace("<int:pk>", str(product.pk))
        if "<" not in route:
            pages.append("/portal/" + route)
    return pages


def test_producer_ships_an_order_from_a_phone(
    live_server, received_order, browser, phone, screenshot
):
    sub, product = received_order
    order = sub.order
    page = phone
    page.goto(live_server.url + "/portal/dang-nhap/")
    page.get_by_label("Số điện thoại hoặc email").fill("0905 667 788")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/portal/")

    # The header badge counts the new order; one tap opens it.
    badge = page.locator("#orders-link .count")
    assert badge.inner_text() == "1"
    assert_header_reads(page)
    screenshot("1-dashboard-badge")
    page.locator("#orders-link").click()
    card = page.locator(f"#o{sub.pk}")
    card.wait_for()
    text = card.inner_text()
    assert order.full_name in text and order.phone_display in text
    assert order.street_address in text and order.ward.name in text and order.vpostcode in text
    assert "Gọi trước khi giao" in text and "Thu hộ" in text
    assert card.locator('a[href^="tel:"]').get_attribute("href") == "tel:" + order.address_phone
    assert card.locator('a[href^="https://zalo.me/"]').count() == 1
    assert_fits(page)
    screenshot("2-order-card")

    card.get_by_role("button", name="Xác nhận đơn").click()
    page.get_by_text(f"Đơn {order.number}: Đã xác nhận.").wait_for()
    card = page.locator(f"#o{sub.pk}")

    # The slip: an A6 PDF whose Code 128 barcode decodes to the order number.
    slip_url = card.get_by_role("link", name="In phiếu gửi").get_attribute("href")
    pdf = page.context.request.get(live_server.url + slip_url)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    (slip,) = slips.pages(pdf.body())
    assert slips.page_size_mm(slip) == (105, 148)
    assert slips.code128(slip) == [order.number]

    # Ship from the lot ticked by default: the newest lot of the product with units left.
    newest = Batch.objects.filter(product=product).order_by("-packed_on", "-created_at").first()
    ticked = card.locator('input[type=checkbox][name^="lots-"]:checked')
    assert ticked.count() == 1 and ticked.get_attribute("value") == str(newest.pk)
    card.get_by_label("Đơn vị vận chuyển").fill("Viettel Post")
    card.get_by_label("Mã vận đơn").fill(TRACKING)
    screenshot("3-ship-from-lot")
    card.get_by_role("button", name="Đã gửi hàng").click()
    page.get_by_text(f"Đơn {order.number}: Đang giao.").wait_for()
    assert list(
        OrderLineLot.objects.filter(line__sub_order=sub).values_list("batch__lot", "quantity")
    ) == [(newest.lot, 2)]
    screenshot("4-shipped")

    # No portal page scrolls sideways at 360 px.
    wide = {}
    for path in _portal_pages(product, newest):
        # POST-only routes (405, empty body) are not pages: ask first, open only the pages
        probe = page.context.request.get(live_server.url + path)
        if probe.status == 200 and probe.headers["content-type"].startswith("text/html"):
            page.goto(live_server.url + path)
            width = page_width(page)
            if width > 360:
                wide[path] = width
    assert wide == {}

    # The shopper looks the order up and sees the tracking number.
    shopper = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    try:
        mine = shopper.new_page()
        mine.goto(live_server.url + "/don-hang/tra-cuu/")
        mine.get_by_label("Mã đơn hàng").fill(order.number)
        mine.get_by_label("Số điện thoại đặt hàng").fill("0912 345 678")
        mine.get_by_role("button", name="Tra cứu").click()
        mine.get_by_text(TRACKING).wait_for()
        assert "Viettel Post" in mine.content()
        shot = ARTIFACTS / "test_producer_ships_an_order_from_a_phone-5-shopper-tracking.png"
        mine.screenshot(path=str(shot), full_page=True)
    finally:
        shopper.close()
