"""English, end to end, on a 360 × 740 phone: the producer portal (sign-in, dashboard, orders,
listings, lots, a lot's journal) and the shopper's flow (search, product, cart, checkout, order
page, lookup) show no Vietnamese UI string (the rule is in tests/e2e/english.py), and a
producer's choice of English outlives signing out and signing in on another device."""

import pytest
from django.contrib.auth import get_user_model

from marketplace.catalog.models import Product
from marketplace.catalog.stock import set_stock
from marketplace.checkout.models import Checkout, Order, OrderLineLot
from marketplace.language.models import LanguagePreference
from producers.models import MemberRole, Membership, Producer
from tests.e2e.conftest import ARTIFACTS, PHONE
from tests.e2e.english import data_texts, vietnamese_ui
from traceability.models import Batch

pytestmark = pytest.mark.e2e

PHONE_NUMBER = "+84905334455"
PASSWORD = "Khô-Cá-Lóc-Phú-Tân-2025"
SHOPPER = {
    "name": "Nguyễn Thị Lan",
    "phone": "0912 345 678",
    "street": "12 Phố Điện Biên Phủ",
    "email": "lan@example.vn",
}


def _english_only(page, data, shoot, name):
    shoot(name)
    assert page.evaluate("document.documentElement.lang") == "en", name
    leftovers = vietnamese_ui(page, data)
    assert leftovers == [], f"{name}: Vietnamese UI text on an English page: {leftovers}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, name


@pytest.fixture
def owner(transactional_db):
    producer = Producer.objects.get(code="AG0001")
    user = get_user_model().objects.create_user(PHONE_NUMBER, password=PASSWORD)
    Membership.objects.create(user=user, producer=producer, role=MemberRole.OWNER)
    yield user
    user.delete()


def _sign_in(page, url, labels):
    page.goto(url + "/portal/dang-nhap/")
    page.get_by_label(labels[0]).fill("0905 334 455")
    page.get_by_label(labels[1], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=labels[2]).click()
    page.wait_for_url(url + "/portal/")


def test_the_portal_in_english_and_the_choice_outlives_signing_out(
    live_server, owner, browser, phone, screenshot
):
    url, page = live_server.url, phone  # a Vietnamese phone (vi-VN)
    data = data_texts(PHONE_NUMBER)
    page.goto(url + "/portal/dang-nhap/")
    page.get_by_role("button", name="English").click()  # the header's switch, a plain form
    page.get_by_role("heading", name="Shop sign-in").wait_for()
    _english_only(page, data, screenshot, "1-sign-in")
    _sign_in(page, url, ("Phone number or email", "Password", "Sign in"))
    assert LanguagePreference.objects.get(user=owner).language == "en"
    _english_only(page, data, screenshot, "2-dashboard")

    lot = Batch.objects.filter(product__producer__code="AG0001").order_by("pk").first()
    for path, name in [
        ("/portal/don-hang/", "3-orders"),
        ("/portal/san-pham/", "4-listings"),
        ("/portal/san-pham/moi/", "5-new-listing"),
        ("/portal/lo/", "6-lots"),
        (f"/portal/lo/{lot.pk}/", "7-lot-journal"),
        ("/portal/thanh-vien/", "8-members"),
        ("/portal/gian-hang-khac/", "9-shop-links"),
    ]:
        page.goto(url + path)
        _english_only(page, data, screenshot, name)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(url + "/portal/dang-nhap/")
    # Another phone, Vietnamese, never used here: sign in, and the account's English is back.
    other = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True, has_touch=True)
    try:
        second = other.new_page()
        _sign_in(second, url, ("Số điện thoại hoặc email", "Mật khẩu", "Đăng nhập"))
        assert second.evaluate("document.documentElement.lang") == "en"
        second.get_by_role("link", name="Orders").wait_for()
        shot = "test_the_portal_in_english_and_the_choice_outlives_signing_out-10-again.png"
        second.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    finally:
        other.close()


@pytest.fixture
def shopping(transactional_db):
    """Undo what the shopper's order changes: the order, its checkout, the stock."""
    product = (
        Product.objects.filter(status="published", stock__quantity__gte=5, name__icontains="mắm")
        .order_by("sku")
        .first()
    )
    stock_before = product.stock_quantity
    orders_before = set(Order.objects.values_list("pk", flat=True))
    checkouts_before = set(Checkout.objects.values_list("pk", flat=True))
    yield product
    made = Order.objects.exclude(pk__in=orders_before)
    OrderLineLot.objects.filter(line__sub_order__order__in=made).delete()
    made.delete()
    Checkout.objects.exclude(pk__in=checkouts_before).delete()
    set_stock(product, stock_before)


def test_the_shoppers_flow_in_english(live_server, shopping, browser, screenshot):
    url, product = live_server.url, shopping
    data = data_texts(*SHOPPER.values())
    # An English browser: Accept-Language alone makes the site English.
    context = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    shoot = _shooter(page, "english-shopper")
    try:
        page.goto(url + "/")
        _english_only(page, data, shoot, "1-home")
        page.locator("input[type=search]").first.fill("mam")
        page.locator("input[type=search]").first.press("Enter")
        page.wait_for_url("**/san-pham/?q=mam**")
        _english_only(page, data, shoot, "2-search")

        page.goto(f"{url}/san-pham/{product.slug}/")
        _english_only(page, data, shoot, "3-product")
        page.get_by_role("button", name="Add to cart").click()
        page.get_by_text("Added to your cart.").wait_for()
        page.goto(url + "/gio-hang/")
        _english_only(page, data, shoot, "4-cart")

        page.get_by_role("link", name="Place order").click()
        page.wait_for_url("**/thanh-toan/**")
        _english_only(page, data, shoot, "5-checkout")
        page.get_by_label("Recipient's full name").fill(SHOPPER["name"])
        page.get_by_label("Phone number", exact=True).fill(SHOPPER["phone"])
        page.get_by_label("Email (optional)").fill(SHOPPER["email"])
        page.get_by_label("Province/city").select_option("01")
        if page.get_by_role("button", name="Choose province").is_visible():
            page.get_by_role("button", name="Choose province").click()
        page.get_by_label("Commune/ward/special zone").select_option("00004")
        page.get_by_label("House number, street, hamlet").fill(SHOPPER["street"])
        page.get_by_label("Cash on delivery").check()
        page.get_by_role("button", name="Place order").click()
        page.wait_for_url("**/don-hang/DH*/**")
        _english_only(page, data, shoot, "6-order")
        order = Order.objects.latest("pk")
        assert order.language == "en"  # emails and SMS about it go out in English

        page.goto(url + "/don-hang/tra-cuu/")
        _english_only(page, data, shoot, "7-lookup")
        page.get_by_label("Order number").fill(order.number)
        page.get_by_label("Phone number used for the order").fill(SHOPPER["phone"])
        page.get_by_role("button", name="Look up").click()
        page.get_by_text(order.number).first.wait_for()
        _english_only(page, data, shoot, "8-lookup-result")
    finally:
        context.close()


def _shooter(page, prefix):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        page.screenshot(path=str(ARTIFACTS / f"{prefix}-{name}.png"), full_page=True)

    return take
