"""axe-core (npm, installed by .ci/services/axe.sh) finds no violation on the shopper's pages at
360 × 740: home, product, cart, checkout, the VietQR order page and the trace page."""

import os
from pathlib import Path

import pytest

from marketplace.catalog.models import Product
from marketplace.checkout.models import Cart
from tests.services import need
from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT

pytestmark = pytest.mark.e2e

AXE = Path(
    os.environ.get(
        "AXE_CORE_JS", Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
    )
)
# WCAG 2.0/2.1/2.2 A and AA plus axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture
def axe_page(browser):
    need(AXE.exists(), f"needs axe-core at {AXE}: run .ci/services/axe.sh (AXE_CORE_JS)")
    # The site's CSP refuses injected script, as it should: this context alone lets axe in.
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="vi-VN",
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.help + ' — ' +"
        " v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))",
        TAGS,
    )
    return found


def test_shopper_pages_have_no_axe_violations(live_server, committed, axe_page):
    carts_before = set(Cart.objects.values_list("pk", flat=True))
    page = axe_page
    product = Product.objects.get(sku="AG0001-01")
    found = {}
    try:

        def check(name, path=None):
            if path:
                page.goto(live_server.url + path)
            found[name] = violations(page)

        check("home", "/")
        check("product", f"/san-pham/{product.slug}/")
        page.get_by_role("button", name="Thêm vào giỏ").click()
        page.wait_for_url("**/gio-hang/")
        check("cart")
        page.goto(live_server.url + "/thanh-toan/?province_code=01&ward_code=00004")
        check("checkout")
        page.get_by_label("Họ tên người nhận").fill("Nguyễn Thị Lan")
        page.get_by_label("Số điện thoại").fill("0912 345 678")
        page.get_by_label("Số nhà, tên đường, thôn/ấp").fill("12 Phố Điện Biên Phủ")
        page.get_by_label("Chuyển khoản VietQR").check()
        page.locator(".sticky-total").get_by_role("button", name="Đặt hàng").click()
        page.wait_for_url("**/don-hang/DH*/")
        check("order")
        check("trace", f"/01/0{SAMPLE_GTIN}/10/{SAMPLE_LOT}")
    finally:
        Cart.objects.exclude(pk__in=carts_before).delete()
    assert set(found) == {"home", "product", "cart", "checkout", "order", "trace"}
    assert {name: v for name, v in found.items() if v} == {}
