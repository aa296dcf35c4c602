"""Money going back, from phones (Chromium at 360 × 740): a producer cancels one line of a paid
VietQR order, the shopper gives a refund account on the order page, staff send it from the
refund desk and the shopper sees "Đã hoàn" with the bank's reference; then a delivered order is
returned, the producer disputes, staff accept and the shopper sees the refund. No page scrolls
sideways."""

import pytest
from django.contrib.auth import get_user_model

from marketplace.catalog.stock import set_stock
from marketplace.checkout.models import Checkout, OrderLineLot, Return, ReturnStatus
from marketplace.checkout.services.complete import complete_checkout
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod, Refund, RefundStatus
from marketplace.settlements.models import Entry, LineCharge
from producers.models import MemberRole, Membership
from tests.e2e.conftest import ARTIFACTS, PHONE
from tests.e2e.widths import assert_fits
from tests.marketplace.checkout.buying import checkout_for
from tests.marketplace.payments.refunding import deliver, two_line_order

pytestmark = pytest.mark.e2e

SELLER_PHONE, STAFF_PHONE = "+84905441122", "+84905441133"
PASSWORD = "Hoan-tien-Long-Xuyen-2026"
BUYER_PHONE = "0912 345 678"  # tests.marketplace.checkout.buying.hanoi_address


def _remove(order) -> None:
    Refund.objects.filter(payment__order=order).delete()
    Return.objects.filter(sub_order__order=order).delete()
    LineCharge.objects.filter(sub_order__order=order).delete()
    Entry.objects.filter(order=order).delete()
    OrderLineLot.objects.filter(line__sub_order__order=order).delete()
    checkout_id = order.checkout_id
    order.delete()
    Checkout.objects.filter(pk=checkout_id).delete()


@pytest.fixture
def people(transactional_db, settings):
    """Committed orders (a paid two-line VietQR order, a delivered paid one), a seller of
    their producer and a staff member; all removed afterwards, stock put back."""
    stock = {}
    cancelling = two_line_order(settings)
    sub = cancelling.sub_orders.get()
    for line in sub.lines.all():
        stock[line.product] = line.product.stock_quantity + line.quantity
    # The same producer's, so the seller's portal (one producer at a time) shows both.
    product = sub.lines.order_by("pk").last().product
    returning = complete_checkout(checkout_for([product], 2).pk, PaymentMethod.VIETQR)
    payments.receive(returning.payment, returning.total, f"bank:{returning.number}")
    for line in returning.sub_orders.get().lines.all():
        stock.setdefault(line.product, line.product.stock_quantity + line.quantity)
    deliver(returning.sub_orders.get())
    users = get_user_model().objects
    seller = users.create_user(SELLER_PHONE, password=PASSWORD)
    Membership.objects.create(user=seller, producer=sub.producer, role=MemberRole.OWNER)
    staff = users.create_user(STAFF_PHONE, password=PASSWORD, is_staff=True)
    yield cancelling, returning
    for order in (cancelling, returning):
        _remove(order)
    for product, quantity in stock.items():
        set_stock(product, quantity)
    seller.delete()
    staff.delete()


def sign_in(page, url, phone) -> None:
    page.goto(url + "/portal/dang-nhap/")
    page.get_by_label("Số điện thoại hoặc email").fill(phone.replace("+84", "0"))
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(url + "/portal/")


def look_up(page, url, order) -> None:
    page.goto(url + "/don-hang/tra-cuu/")
    page.get_by_label("Mã đơn hàng").fill(order.number)
    page.get_by_label("Số điện thoại đặt hàng").fill(BUYER_PHONE)
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_url(url + f"/don-hang/{order.number}/")


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"test_refunds_phone-{name}.png"), full_page=True)


def test_a_cancelled_line_is_refunded_and_a_disputed_return_accepted(
    live_server, people, browser, phone
):
    cancelling, returning = people
    url = live_server.url
    contexts = [browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True) for _ in "ab"]
    try:
        seller, staff = (context.new_page() for context in contexts)
        sign_in(seller, url, SELLER_PHONE)
        sign_in(staff, url, STAFF_PHONE)
        buyer = phone

        # The producer cancels one line of the paid order, after a confirm step.
        sub = cancelling.sub_orders.get()
        line = sub.lines.order_by("pk").first()
        seller.goto(url + "/portal/don-hang/")
        seller.locator(f"#o{sub.pk}").get_by_role("link", name="Hủy sản phẩm này").first.click()
        seller.get_by_text(line.name).first.wait_for()
        seller.get_by_label("Lý do hủy (khách sẽ đọc)").fill("Hết hàng lô này")
        assert_fits(seller)
        shoot(seller, "1-confirm-cancel")
        seller.get_by_role("button", name="Xác nhận hủy sản phẩm này").click()
        seller.get_by_text(f"Đã hủy {line.name}").wait_for()
        refund = Refund.objects.get(sub_order=sub)
        assert refund.amount == line.line_total

        # The shopper sees it and gives a bank account (a wrong one first).
        look_up(buyer, url, cancelling)
        card = buyer.locator(f"#refund-{refund.pk}")
        assert "Đang xử lý" in card.inner_text()
        form = buyer.locator("#hoan-tien")
        form.get_by_label("Ngân hàng").select_option("970436")
        form.get_by_label("Số tài khoản").fill("12ab")
        form.get_by_label("Tên chủ tài khoản").fill("Nguyễn Thị Lan")
        form.get_by_role("button", name="Lưu tài khoản nhận tiền").click()
        buyer.get_by_text("Số tài khoản gồm 6 đến 19 chữ số.").wait_for()
        assert buyer.locator("#hoan-tien").get_by_label("Tên chủ tài khoản").input_value() == (
            "Nguyễn Thị Lan"
        )
        assert_fits(buyer)
        shoot(buyer, "2-account-error")
        buyer.locator("#hoan-tien").get_by_label("Số tài khoản").fill("0071 0001 23456")
        buyer.locator("#hoan-tien").get_by_role("button", name="Lưu tài khoản nhận tiền").click()
        buyer.get_by_text("Đã lưu tài khoản nhận tiền hoàn.").wait_for()
        assert_fits(buyer)

        # Staff pay it from the desk, with the QR, and record the bank's reference.
        staff.get_by_role("link", name="Bàn hoàn tiền (sàn)").click()
        desk = staff.locator(f"#hoan-{refund.pk}")
        assert "0071000123456" in desk.inner_text() and "NGUYEN THI LAN" in desk.inner_text()
        # The QR is drawn by its own request: wait for it, then it must have loaded.
        qr = desk.locator("img.qr").element_handle()
        staff.wait_for_function("img => img.complete", arg=qr)
        assert qr.evaluate("img => img.naturalWidth") > 0
        assert_fits(staff)
        shoot(staff, "3-refund-desk")
        desk.get_by_label("Mã giao dịch của ngân hàng").fill("FT26336123456")
        desk.get_by_role("button", name="Đã chuyển tiền").click()
        staff.get_by_text("mã giao dịch FT26336123456").wait_for()
        refund.refresh_from_db()
        assert refund.status == RefundStatus.SUCCEEDED

        buyer.reload()
        card = buyer.locator(f"#refund-{refund.pk}")
        assert "Đã hoàn" in card.inner_text() and "FT26336123456" in card.inner_text()
        assert_fits(buyer)
        shoot(buyer, "4-refunded")

        # A delivered order goes back; the producer disputes; staff accept.
        look_up(buyer, url, returning)
        back = returning.sub_orders.get()
        buyer.locator(f"#p{back.pk}").get_by_text("Trả hàng", exact=True).click()
        buyer.get_by_label("Lý do trả hàng").fill("Một hũ bị nứt nắp khi nhận")
        assert_fits(buyer)
        shoot(buyer, "5-return-form")
        buyer.get_by_role("button", name="Gửi yêu cầu trả hàng").click()
        buyer.get_by_text("Chờ người bán trả lời").wait_for()
        item = Return.objects.get(sub_order=back)

        seller.goto(url + "/portal/")
        seller.get_by_role("link", name="Trả hàng", exact=True).click()
        card = seller.locator(f"#tra-{item.pk}")
        assert "Một hũ bị nứt nắp khi nhận" in card.inner_text()
        card.get_by_label("Ghi chú (bắt buộc khi không đồng ý)").fill("Hũ còn nguyên khi gửi")
        assert_fits(seller)
        shoot(seller, "6-dispute")
        card.get_by_role("button", name="Không đồng ý, nhờ sàn xem xét").click()
        seller.get_by_text("chờ sàn quyết định").first.wait_for()

        buyer.reload()
        assert "Đang xem xét" in buyer.locator(f"#return-{item.pk}").inner_text()

        staff.goto(url + "/portal/hoan-tien/")
        card = staff.locator(f"#tra-{item.pk}")
        assert "Hũ còn nguyên khi gửi" in card.inner_text()
        card.get_by_label("Ghi chú cho khách (bắt buộc khi từ chối)").fill("Ảnh cho thấy nắp nứt")
        card.get_by_role("button", name="Chấp nhận trả hàng, hoàn tiền").click()
        staff.get_by_text("Đã nhận trả hàng").first.wait_for()
        assert_fits(staff)
        item.refresh_from_db()
        assert item.status == ReturnStatus.ACCEPTED

        buyer.reload()
        text = buyer.locator(f"#p{back.pk}").inner_text()
        assert "Đã quyết định: sàn chấp nhận trả hàng" in text and "Đang xử lý" in text
        returned = Refund.objects.get(sub_order=back)
        assert returned.amount == item.amount
        assert_fits(buyer)
        shoot(buyer, "7-return-refund")
    finally:
        for context in contexts:
            context.close()
