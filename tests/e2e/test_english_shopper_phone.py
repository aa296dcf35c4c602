"""Issue 14 item 7, English everywhere a shopper goes, on a 360 × 740 phone whose browser asks
for English: home, search with its facets, the filters, a category, a producer, the product,
cart, checkout, the order page and the order lookup show no Vietnamese UI string (the rule,
and what counts as data, is in tests/e2e/english.py) and none scrolls sideways."""

import pytest

from marketplace.catalog.models import Product
from marketplace.catalog.stock import set_stock
from marketplace.checkout.models import Checkout, Order, OrderLineLot
from tests.e2e.conftest import ARTIFACTS, PHONE
from tests.e2e.english import data_texts, english_only

pytestmark = pytest.mark.e2e

SHOPPER = {
    "name": "Nguyễn Thị Lan",
    "phone": "0912 345 678",
    "street": "12 Phố Điện Biên Phủ",
    "email": "lan@example.vn",
}


@pytest.fixture
def shopping(transactional_db):
    """Undo what the shopper's order changes: the order, its checkout, the stock."""
    product = (
        Product.objects.filter(status="published", stock__quantity__gte=5, name__icontains="mắm")
        .select_related("product_set", "producer")
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


def test_the_shoppers_flow_in_english(live_server, shopping, browser):
    url, product = live_server.url, shopping
    data = data_texts(*SHOPPER.values())
    # An English browser: Accept-Language alone makes the site English.
    context = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    shoot = _shooter(page, "english-shopper")
    try:
        page.goto(url + "/")
        english_only(page, data, shoot, "1-home")
        page.locator("input[type=search]").first.fill("mam")
        page.locator("input[type=search]").first.press("Enter")
        page.wait_for_url("**/san-pham/?q=mam**")
        english_only(page, data, shoot, "2-search")
        facets = page.locator("nav.facets a")
        assert facets.count() > 0
        with page.expect_navigation():
            facets.first.click()
        english_only(page, data, shoot, "2b-facet")

        page.goto(url + "/san-pham/")
        page.locator("details.filters summary").click()
        page.get_by_label("4★").check()
        page.get_by_label("In stock only").check()
        page.get_by_role("button", name="Apply").click()
        page.wait_for_url("**stars=4**")
        page.locator("details.filters summary").click()
        english_only(page, data, shoot, "2c-filters")

        page.goto(f"{url}/danh-muc/{product.product_set.code}/")
        english_only(page, data, shoot, "2d-category")
        page.goto(f"{url}/nha-san-xuat/{product.producer.slug}/")
        english_only(page, data, shoot, "2e-producer")

        page.goto(f"{url}/san-pham/{product.slug}/")
        english_only(page, data, shoot, "3-product")
        page.get_by_role("button", name="Add to cart").click()
        page.get_by_text("Added to your cart.").wait_for()
        page.goto(url + "/gio-hang/")
        english_only(page, data, shoot, "4-cart")

        page.get_by_role("link", name="Place order").click()
        page.wait_for_url("**/thanh-toan/**")
        english_only(page, data, shoot, "5-checkout")
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
        english_only(page, data, shoot, "6-order")
        order = Order.objects.latest("pk")
        assert order.language == "en"  # emails and SMS about it go out in English

        page.goto(url + "/don-hang/tra-cuu/")
        english_only(page, data, shoot, "7-lookup")
        page.get_by_label("Order number").fill(order.number)
        page.get_by_label("Phone number used for the order").fill(SHOPPER["phone"])
        page.get_by_role("button", name="Look up").click()
        page.get_by_text(order.number).first.wait_for()
        english_only(page, data, shoot, "8-lookup-result")
    finally:
        context.close()


def _shooter(page, prefix):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(name):
        page.screenshot(path=str(ARTIFACTS / f"{prefix}-{name}.png"), full_page=True)

    return take
