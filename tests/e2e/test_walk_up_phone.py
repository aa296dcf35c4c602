"""A consumer scans a label whose lot the resolver does not know: at 360 px the walk-up page
names the lot, shows the product and takes them to its page; the product-level QR (GTIN only)
opens the product page in one redirect."""

import pytest

from marketplace.catalog.models import Product
from tests.e2e.widths import assert_fits
from tests.traceability.conftest import SAMPLE_GTIN

pytestmark = pytest.mark.e2e


def test_unknown_lot_walks_up_to_the_product_on_a_phone(
    live_server, transactional_db, phone, screenshot
):
    product = Product.objects.get(gtin=SAMPLE_GTIN)
    page = phone
    response = page.goto(f"{live_server.url}/01/0{SAMPLE_GTIN}/10/LOT404X")
    assert response.status == 404
    warning = page.get_by_role("alert")
    assert "LOT404X" in warning.inner_text() and "chưa được biết" in warning.inner_text()
    assert page.get_by_role("heading", name=product.name).is_visible()
    assert_fits(page)
    screenshot("walk-up")
    page.get_by_role("link", name="Xem thông tin sản phẩm").click()
    page.wait_for_url(f"{live_server.url}/san-pham/{product.slug}/")

    response = page.goto(f"{live_server.url}/01/0{SAMPLE_GTIN}")
    assert response.status == 200 and page.url == f"{live_server.url}/san-pham/{product.slug}/"
    assert response.request.redirected_from.redirected_from is None  # one redirect only
