"""The pages work under the Content-Security-Policy in a real Chromium: no violation reported,
and the checkout's province script (now a static file) still reloads the ward list."""

import pytest

from marketplace.catalog.models import Product
from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT

pytestmark = pytest.mark.e2e

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def test_storefront_checkout_and_trace_pages_raise_no_csp_violation(
    live_server, transactional_db, phone, screenshot
):
    page = phone
    refused = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.add_init_script(WATCH)
    product = Product.objects.published().filter(stock__quantity__gt=5).order_by("pk").first()
    seen = []

    def visit(path):
        response = page.goto(live_server.url + path)
        assert response.headers.get("content-security-policy"), path
        seen.extend(page.evaluate("window.__csp"))

    for path in (
        "/",
        "/san-pham/?q=mam",
        f"/01/{SAMPLE_GTIN}/10/{SAMPLE_LOT}",
        "/portal/dang-nhap/",
    ):
        visit(path)
    visit(f"/san-pham/{product.slug}/")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    page.wait_for_url("**/gio-hang/")  # the cart's cookie is set before checkout is opened
    seen.extend(page.evaluate("window.__csp"))
    visit("/thanh-toan/")
    with page.expect_navigation():
        page.locator("#id_province_code").select_option("01")  # checkout.js submits the form
    seen.extend(page.evaluate("window.__csp"))
    assert page.locator("#id_ward_code option[value='00004']").count() == 1  # Hà Nội's wards
    screenshot("checkout-after-province")
    assert seen == [] and refused == []
