"""A producer runs their shop from a phone: sign in, list a product with a photo, publish it,
find it on the storefront, change its stock — in Chromium at 360 × 740."""

import re

import pytest
from django.contrib.auth import get_user_model

from marketplace.catalog.models import Product, ProductStatus, Stock
from producers.models import MemberRole, Membership, Producer
from tests.e2e.widths import assert_fits
from tests.producers.portal.pictures import jpeg_bytes

pytestmark = pytest.mark.e2e

PHONE_NUMBER = "+84905112233"
PASSWORD = "Gao-Nang-Hoa-9-2025"
PRODUCT_NAME = "Mắm cá linh Tri Tôn"


@pytest.fixture
def shop_owner(transactional_db):
    """A committed owner account; afterwards everything the test made is removed again."""
    producer = Producer.objects.get(code="AG0001")
    products_before = set(Product.objects.values_list("pk", flat=True))
    user = get_user_model().objects.create_user(PHONE_NUMBER, password=PASSWORD)
    Membership.objects.create(user=user, producer=producer, role=MemberRole.OWNER)
    yield user
    made = Product.objects.exclude(pk__in=products_before)
    for product in made:
        product.images.all().delete()
    Stock.objects.filter(product__in=made).delete()
    made.delete()
    user.delete()


def test_producer_lists_a_product_from_a_phone(
    live_server, shop_owner, phone, screenshot, tmp_path
):
    server = live_server
    page = phone
    page.goto(server.url + "/portal/")
    assert "/portal/dang-nhap/" in page.url
    page.get_by_label("Số điện thoại hoặc email").fill("0905 112 233")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    screenshot("1-sign-in")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(server.url + "/portal/")
    # Nothing overflows sideways at 360 px.
    assert_fits(page)
    screenshot("2-dashboard")

    page.get_by_role("link", name="+ Thêm sản phẩm").first.click()
    page.get_by_label("Tên sản phẩm").fill(PRODUCT_NAME)
    page.get_by_label("Bộ sản phẩm OCOP").select_option("1.8")
    page.get_by_label("Đơn vị bán").fill("hũ 500g")
    page.get_by_label("Giá (đồng)").fill("125k")
    page.get_by_label("Tồn kho").fill("12")
    page.get_by_label("Mô tả").fill("Mắm cá linh mùa nước nổi, ủ chượp 6 tháng.")
    screenshot("3-new-listing")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/portal/san-pham/\d+/anh/$"))

    photo = tmp_path / "mam-ca-linh.jpg"
    photo.write_bytes(jpeg_bytes((2400, 1800), rotated=True, gps=True))
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_role("button", name="Tải ảnh lên").click()
    page.get_by_text("Đã thêm ảnh.").wait_for()
    cover = page.locator(".photos img").first
    cover.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", cover.element_handle())
    screenshot("4-photo")

    page.get_by_role("link", name="Danh sách sản phẩm").click()
    card = page.locator(".card", has_text=PRODUCT_NAME)
    card.get_by_role("button", name="Đăng bán").click()
    page.get_by_text(f"Đã đăng bán {PRODUCT_NAME}.").wait_for()
    screenshot("5-published")

    product = Product.objects.get(name=PRODUCT_NAME)
    assert (product.status, product.price) == (ProductStatus.PUBLISHED, 125_000)

    page.goto(f"{server.url}/san-pham/{product.slug}/")
    page.get_by_role("heading", name=PRODUCT_NAME).wait_for()
    assert "125.000" in page.content()
    screenshot("6-storefront")

    page.goto(server.url + "/portal/san-pham/")
    card = page.locator(".card", has_text=PRODUCT_NAME)
    card.get_by_label("Tồn kho").fill("3")
    card.get_by_role("button", name="Lưu").click()
    page.get_by_text(f"Đã cập nhật {PRODUCT_NAME}.").wait_for()
    screenshot("7-stock-changed")
    assert Stock.objects.get(product=product).quantity == 3

    page.goto(server.url + "/portal/")
    assert page.locator(f"#low-{product.pk}").is_visible()
