"""Issue 14 in Chromium at 360 × 740: a shopper finds products by typing without diacritics,
buys from two producers, checks out with full-width fields, pays by VietQR (the QR decoded
from the screen carries the amount and the bank named on the page) and, once the statement is
reconciled, the page refreshes by itself to "Đã nhận tiền". No storefront page scrolls
sideways."""

import io

import pytest
import zxingcpp
from django.core.management import call_command
from PIL import Image

from marketplace.catalog.models import Product
from marketplace.checkout.models import Cart, Order
from marketplace.payments import vietqr
from tests.e2e.conftest import PHONE
from tests.e2e.widths import assert_fits
from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT

pytestmark = pytest.mark.e2e

FIRST, SECOND = "AG0001-01", "AG0005-01"  # Mắm thái Châu Đốc from two producers


@pytest.fixture
def shopper_rows(committed):
    """Carts are made by the browser; `committed` removes orders and restores stock."""
    before = set(Cart.objects.values_list("pk", flat=True))
    yield
    Cart.objects.exclude(pk__in=before).delete()


def storefront_paths(order_number: str | None = None) -> list[str]:
    product = Product.objects.select_related("producer", "product_set").get(sku=FIRST)
    paths = [
        "/",
        "/san-pham/",
        "/san-pham/?q=mam+thai",
        f"/danh-muc/{product.product_set.code}/",
        f"/san-pham/{product.slug}/",
        f"/nha-san-xuat/{product.producer.slug}/",
        "/gio-hang/",
        "/thanh-toan/",
        "/thanh-toan/dia-chi-cu/?province=An+Giang&district=An+Ph%C3%BA&ward=Kh%C3%A1nh+An",
        "/don-hang/tra-cuu/",
        f"/01/0{SAMPLE_GTIN}/10/{SAMPLE_LOT}",
        "/khong-co-trang-nay/",
    ]
    if order_number:
        paths.append(f"/don-hang/{order_number}/")
    return paths


def test_a_shopper_buys_from_two_producers_and_pays_by_vietqr_on_a_phone(
    live_server, shopper_rows, phone, screenshot, tmp_path
):
    page = phone
    first = Product.objects.select_related("producer").get(sku=FIRST)
    second = Product.objects.select_related("producer").get(sku=SECOND)
    assert first.producer_id != second.producer_id

    page.goto(live_server.url + "/")
    header = page.locator(".top .bar")
    brand, cart_link = header.locator(".brand"), header.locator(".cart-link")
    brand_box, cart_box = brand.bounding_box(), cart_link.bounding_box()
    assert brand_box["y"] == pytest.approx(cart_box["y"], abs=12)  # one line
    assert brand_box["x"] + brand_box["width"] <= cart_box["x"]  # side by side, not overlapping
    assert_fits(page, "home")
    screenshot("home")

    # Search typed without diacritics finds both producers' mắm thái.
    page.get_by_role("searchbox").first.fill("mam thai chau doc")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_url("**/san-pham/?q=*")
    assert_fits(page, "search results")
    for product in (first, second):
        assert page.locator(f'.card a[href="/san-pham/{product.slug}/"]').count() == 1
    screenshot("search")

    for product in (first, second):
        page.locator(f'.card a[href="/san-pham/{product.slug}/"]').click()
        page.wait_for_url(f"**/san-pham/{product.slug}/")
        assert_fits(page, "product page")
        assert page.get_by_role("heading", name="Truy xuất nguồn gốc").is_visible()
        quantity = page.get_by_label("Số lượng")
        assert quantity.get_attribute("inputmode") == "numeric"
        page.get_by_role("button", name="Thêm vào giỏ").click()
        page.wait_for_url("**/gio-hang/")
        if product == first:
            screenshot("product-added")
            page.go_back()
            page.go_back()
            page.wait_for_url("**/san-pham/?q=*")

    # Cart: one card per line with a thumbnail, the badge counts, the total stays on screen.
    assert page.locator(".cart-line").count() == 2
    assert page.locator(".cart-line .thumb img, .cart-line .thumb .noimg").count() == 2
    assert page.locator(".cart-link .badge").inner_text().startswith("2")
    sticky = page.locator(".sticky-total")
    box = sticky.bounding_box()
    assert box["y"] + box["height"] <= 740 and sticky.get_by_role("link", name="Đặt hàng")
    for card in page.locator(".cart-line").all():
        update = card.get_by_role("button", name="Cập nhật").bounding_box()
        remove = card.get_by_role("button", name="Xóa").bounding_box()
        assert remove["y"] == pytest.approx(update["y"], abs=2)  # "Xóa" beside, not below
        assert remove["x"] >= update["x"] + update["width"]
    assert_fits(page, "cart")
    screenshot("cart")

    sticky.get_by_role("link", name="Đặt hàng").click()
    page.wait_for_url("**/thanh-toan/")
    page.get_by_label("Họ tên người nhận").fill("Nguyễn Thị Lan")
    with page.expect_navigation():
        page.get_by_label("Tỉnh/thành phố").select_option("01")  # the script reloads wards
    assert page.get_by_label("Họ tên người nhận").input_value() == "Nguyễn Thị Lan"
    assert page.get_by_role("alert").count() == 0
    page.get_by_label("Xã/phường/đặc khu").select_option("00004")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    page.get_by_label("Email (không bắt buộc)").fill("lan@example.vn")
    page.get_by_label("Số nhà, tên đường, thôn/ấp").fill("12 Phố Điện Biên Phủ")
    content_width = page.locator("form#checkout-form").bounding_box()["width"]
    for label, inputmode, autocomplete in [
        ("Họ tên người nhận", None, "name"),
        ("Số điện thoại", "tel", "tel"),
        ("Email (không bắt buộc)", "email", "email"),
        ("Số nhà, tên đường, thôn/ấp", None, "street-address"),
        ("Mã bưu chính (không bắt buộc)", "numeric", "postal-code"),
    ]:
        field = page.get_by_label(label)
        # Full width: the field spans its form (less the form's padding), never 5em.
        assert field.bounding_box()["width"] >= content_width - 30, label
        assert field.get_attribute("inputmode") == inputmode, label
        assert field.get_attribute("autocomplete") == autocomplete, label
    assert page.get_by_label("Chuyển khoản VietQR").is_visible()
    page.get_by_label("Chuyển khoản VietQR").check()
    assert_fits(page, "checkout")
    screenshot("checkout")
    page.locator(".sticky-total").get_by_role("button", name="Đặt hàng").click()
    page.wait_for_url("**/don-hang/DH*/")

    order = Order.objects.select_related("payment").get(number=page.url.rstrip("/").split("/")[-1])
    assert order.sub_orders.count() == 2
    payment = order.payment
    box = page.locator("#vietqr")
    assert "Sacombank" in box.locator(".bank").inner_text()
    assert box.locator("#vietqr-account").inner_text() == "0011012345678"
    assert box.locator("#vietqr-note").inner_text() == order.number
    assert box.get_by_role("button", name="Sao chép").count() == 2  # shown: script and clipboard
    amount = box.locator(".big-amount")
    assert amount.inner_text().replace(".", "").replace("\xa0₫", "") == str(order.total)
    assert float(amount.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 28
    save = box.get_by_role("link", name="Lưu ảnh mã QR")
    assert save.get_attribute("download") == f"vietqr-{order.number}.png"
    saved = page.request.get(live_server.url + save.get_attribute("href"))
    assert saved.ok and saved.headers["content-type"] == "image/png"
    # The QR as the phone's screen shows it decodes to the payment's payload.
    shown = Image.open(io.BytesIO(box.locator("img").screenshot()))
    decoded = zxingcpp.read_barcodes(shown)
    assert [d.text for d in decoded] == [payment.vietqr_payload]
    parsed = vietqr.parse(decoded[0].text)
    assert parsed.consumer.bank_bin == "970403" and parsed.amount == str(order.total)
    assert parsed.consumer.bank_number == "0011012345678"
    assert parsed.additional_data.bill_number == order.number
    assert_fits(page, "order page")
    screenshot("vietqr")

    # The trade office reconciles the bank statement; the page notices by itself (no script).
    statement = tmp_path / "statement.csv"
    statement.write_text(
        f"reference,amount,transaction_id\nCK {order.number} thanh toan,{order.total},FT1\n"
    )
    call_command("reconcile_vietqr", str(statement), stdout=io.StringIO())
    page.get_by_text("Đã nhận tiền").wait_for(timeout=25_000)
    assert page.locator("#vietqr").count() == 0
    screenshot("paid")

    for path in storefront_paths(order.number):
        page.goto(live_server.url + path)
        assert_fits(page, path)


def test_no_storefront_page_scrolls_sideways_with_javascript_off(browser, live_server, committed):
    context = browser.new_context(
        viewport=PHONE,
        java_script_enabled=False,
        is_mobile=True,
        locale="vi-VN",
    )
    page = context.new_page()
    try:
        for path in storefront_paths():
            page.goto(live_server.url + path)
            assert_fits(page, path)
    finally:
        context.close()
