"""The product page's delivery estimate: days and the lowest fee to the shopper's province,
An Giang until the shopper picks another, which is then remembered."""

import re

import pytest

from marketplace.catalog.models import Product
from marketplace.checkout.models import ShippingZone
from marketplace.checkout.shipping import DELIVERY_DAYS, estimate_to_province, shipping_fee
from marketplace.money import format_vnd

pytestmark = pytest.mark.django_db

HANOI = "01"


@pytest.fixture
def product():
    return (
        Product.objects.published()
        .select_related("producer__ward")
        .filter(net_weight_g__gt=0, producer__ward__province_id="91")
        .order_by("sku")
        .first()
    )


def test_the_estimate_depends_on_the_province_and_the_weight(product):
    ward = product.producer.ward
    assert estimate_to_province(ward, "91", 500) == (
        ShippingZone.SAME_PROVINCE,
        22_000,
        DELIVERY_DAYS[ShippingZone.SAME_PROVINCE],
    )
    zone, fee, days = estimate_to_province(ward, HANOI, 500)
    assert (zone, fee, days) == (ShippingZone.ELSEWHERE, 32_000, (2, 5))
    # Heavier parcels cost what checkout will charge for the same zone.
    assert estimate_to_province(ward, HANOI, 6_200)[1] == shipping_fee(
        ShippingZone.ELSEWHERE, 6_200
    )
    assert shipping_fee(ShippingZone.ELSEWHERE, 6_200) == 58_000 + 3 * 6_000


def _estimate(client, product, query: str = "") -> str:
    html = client.get(f"/san-pham/{product.slug}/{query}").content.decode()
    match = re.search(r'<section class="panel delivery".*?</section>', html, re.S)
    assert match, "no delivery block"
    return re.sub(r"<[^>]+>", "", match.group(0))


def test_the_page_shows_an_giang_first_then_the_province_chosen(client, product):
    _, home_fee, (fastest, slowest) = estimate_to_province(
        product.producer.ward, "91", product.net_weight_g
    )
    text = _estimate(client, product)
    assert f"Đến An Giang: khoảng {fastest}–{slowest} ngày" in text
    assert format_vnd(home_fee) in text

    _, far_fee, (fastest, slowest) = estimate_to_province(
        product.producer.ward, HANOI, product.net_weight_g
    )
    text = _estimate(client, product, f"?tinh={HANOI}")
    assert f"Đến Thành phố Hà Nội: khoảng {fastest}–{slowest} ngày" in text
    assert format_vnd(far_fee) in text
    # Remembered for the next product page, and a bad province code changes nothing.
    assert "Đến Thành phố Hà Nội" in _estimate(client, product)
    assert "Đến Thành phố Hà Nội" in _estimate(client, product, "?tinh=zz")


def test_the_select_offers_every_province_with_the_chosen_one_selected(client, product):
    html = client.get(f"/san-pham/{product.slug}/?tinh={HANOI}").content.decode()
    assert f'<option value="{HANOI}" selected>' in html
    assert html.count("<option value=") >= 34  # the 34 provinces and cities since July 2025


def test_no_estimate_for_a_tour(client):
    """Group 6 (tourism services) are experiences, not parcels."""
    tour = Product.objects.published().filter(product_set__group_id=6).first()
    assert tour is not None and not tour.needs_shipping
    html = client.get(f"/san-pham/{tour.slug}/").content.decode()
    assert 'class="panel delivery"' not in html
