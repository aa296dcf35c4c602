"""A shopper whose order was delivered signs in with the SMS code, finds the order in the
history, reviews it with a photo; the producer replies from the portal; the product page shows
the rating and the reply. Chromium at 360 × 740; no page scrolls sideways."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.utils import timezone

from marketplace.accounts.models import Shopper
from marketplace.catalog import images
from marketplace.catalog.models import Product
from marketplace.catalog.stock import set_stock
from marketplace.checkout import services
from marketplace.checkout.models import Checkout, OrderStatus, SubOrder
from marketplace.notify import sms
from marketplace.payments.models import PaymentMethod
from marketplace.reviews.models import Review
from marketplace.reviews.services import refresh_rating
from producers.models import MemberRole, Membership, Producer
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.widths import assert_fits
from tests.marketplace.checkout.buying import hanoi_address
from tests.producers.portal.pictures import jpeg_bytes

pytestmark = pytest.mark.e2e

OWNER_PHONE = "+84905667799"
PASSWORD = "Mam-Thai-Chau-Doc-7-2025"
BUYER = "0912 345 678"


@pytest.fixture
def delivered_order(transactional_db):
    producer = Producer.objects.get(code="AG0001")
    product = Product.objects.filter(producer=producer).order_by("sku").first()
    stock_before = product.stock_quantity
    user = get_user_model().objects.create_user(OWNER_PHONE, password=PASSWORD)
    Membership.objects.create(user=user, producer=producer, role=MemberRole.OWNER)
    checkout = services.create_checkout(
        [services.LineRequest(product.sku, 1)], hanoi_address(), email="lan@example.vn"
    )
    order = services.complete_checkout(checkout.pk, PaymentMethod.COD)
    SubOrder.objects.filter(order=order).update(
        status=OrderStatus.DELIVERED, delivered_at=timezone.now()
    )
    yield order, product
    for review in Review.objects.filter(line__sub_order__order=order):
        for photo in review.photos.all():
            images.delete_names(images.file_names(photo.file.name))
    order.delete()  # its lines' reviews go with it
    refresh_rating(product.pk)
    Checkout.objects.filter(pk=checkout.pk).delete()
    Shopper.objects.filter(phone="+84912345678").delete()
    set_stock(product, stock_before)
    user.delete()


def test_a_buyer_reviews_after_delivery_and_the_producer_replies(
    live_server, delivered_order, browser, phone, screenshot, tmp_path
):
    order, product = delivered_order
    page = phone
    sms.outbox.clear()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Đơn hàng của tôi (đăng nhập bằng số điện thoại)").click()
    page.get_by_label("Số điện thoại").fill(BUYER)
    assert_fits(page)
    screenshot("1-sign-in")
    page.get_by_role("button", name="Gửi mã qua SMS").click()
    page.get_by_label("Mã 6 số trong tin nhắn").wait_for()
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    page.get_by_label("Mã 6 số trong tin nhắn").fill(code)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/tai-khoan/")
    assert order.number in page.content()
    assert_fits(page)
    screenshot("2-history")

    page.get_by_role("link", name=order.number).click()
    page.wait_for_url(live_server.url + f"/don-hang/{order.number}/")
    line = order.sub_orders.get().lines.get()
    page.get_by_role("link", name=f"Đánh giá “{line.name}”").click()
    page.wait_for_url(re.compile(rf"/don-hang/{order.number}/danh-gia/\d+/$"))
    assert_fits(page)
    page.get_by_label("5 ★").check()
    page.get_by_label("Nhận xét").fill("Mắm thơm, đóng gói kỹ.\nSẽ mua lại.")
    photo = tmp_path / "mam.jpg"
    photo.write_bytes(jpeg_bytes((1200, 900)))
    page.get_by_label("Ảnh (tối đa 3)").set_input_files(str(photo))
    screenshot("3-review-form")
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.get_by_text(f"Đã đánh giá “{line.name}”").wait_for()
    review = Review.objects.get(line=line)
    assert review.rating == 5 and review.photos.count() == 1
    assert default_storage.exists(review.photos.get().file.name)

    # The producer replies from the portal, on a phone too.
    seller = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    try:
        portal = seller.new_page()
        portal.goto(live_server.url + "/portal/dang-nhap/")
        portal.get_by_label("Số điện thoại hoặc email").fill("0905 667 799")
        portal.get_by_label("Mật khẩu").fill(PASSWORD)
        portal.get_by_role("button", name="Đăng nhập").click()
        portal.wait_for_url(live_server.url + "/portal/")
        portal.get_by_role("link", name="Đánh giá", exact=True).click()
        card = portal.locator(f"#review-{review.pk}")
        card.get_by_label("Trả lời công khai").fill("Cảm ơn chị Lan đã ủng hộ!")
        reply = card.get_by_role("button", name="Đăng trả lời")
        assert reply.bounding_box()["height"] >= 48  # a thumb's tap target, like the portal's
        reply.click()
        portal.get_by_text("Đã đăng lời trả lời.").wait_for()
        assert_fits(portal)
        shot = (
            ARTIFACTS / "test_a_buyer_reviews_after_delivery_and_the_producer_replies-4-reply.png"
        )
        portal.screenshot(path=str(shot), full_page=True)
    finally:
        seller.close()

    page.goto(live_server.url + f"/san-pham/{product.slug}/")
    reviews = page.locator("#danh-gia")
    text = reviews.inner_text()
    assert "Mắm thơm, đóng gói kỹ." in text and "Cảm ơn chị Lan đã ủng hộ!" in text
    assert "Lan N." in text and "(1)" in text
    assert reviews.locator(".photos img").count() == 1
    assert_fits(page)
    screenshot("5-product-rating-reply")
