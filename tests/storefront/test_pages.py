"""Every public page renders the sample catalog's data; hidden things are 404."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.urls import reverse

from marketplace.catalog.images import ensure_placeholder
from marketplace.catalog.models import Product, ProductImage
from producers.models import Producer
from tests.marketplace.catalog import sample
from tests.storefront.helpers import make_product

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def page(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:300]
    return response, response.content.decode()


def test_home_shows_featured_groups_and_places(client):
    response, html = page(client, reverse("storefront:home"))
    assert '<html lang="vi">' in html
    assert 'name="viewport"' in html
    assert "OCOP An Giang" in html
    assert 'action="/i18n/setlang/"' in html
    assert f'action="{reverse("storefront:products")}"' in html and 'name="q"' in html
    featured = response.context["featured"]
    assert featured
    today = datetime.date.today()
    # Best stars first, and only listings whose certificate is valid today.
    assert featured[0].certificate.stars == 5
    assert all(p.certificate.is_valid_on(today) and p.is_published for p in featured)
    assert [g.group.number for g in response.context["groups"]] == [1, 2, 3, 4, 5, 6]
    assert "Chế biến từ thịt, trứng, sữa, cá, mật ong" in html
    assert reverse("storefront:product_set", args=["1.8"]) in html
    # Wards with something on sale; a ward whose producers sell nothing yet is left out.
    wards_with_producers = {row["ward_code"] for row in sample.producers().values()}
    places = response.context["places"]
    assert places and {w.code for w in places} <= wards_with_producers
    assert all(w.product_count > 0 for w in places)
    assert "Xã An Phú" in html


def test_product_page_shows_everything_a_shopper_checks(client):
    product = Product.objects.get(sku="AG0001-01")
    _, html = page(client, reverse("storefront:product", args=[product.slug]))
    assert "<h1>Mắm thái Châu Đốc</h1>" in html
    assert f"215.000{NBSP}₫" in html
    assert "hũ 1kg" in html
    assert f"1{NBSP}kg" in html
    assert "001/2025/OCOP-AG" in html
    assert "★★★" in html
    assert "Chế biến từ thịt, trứng, sữa, cá, mật ong" in html
    assert reverse("storefront:producer", args=[product.producer.slug]) in html
    assert "HTX Thủy sản An Phú" in html
    assert "Xã An Phú, An Giang" in html
    assert "Còn hàng" in html
    assert "mắm cá lóc thái sợi" in html


def test_out_of_stock_product_says_so(client):
    product = Product.objects.get(sku="AG0003-03")  # stock 0 in the CSV
    _, html = page(client, reverse("storefront:product", args=[product.slug]))
    assert "Hết hàng" in html and "Còn hàng" not in html


def test_sample_certificate_that_expired_is_not_shown_as_valid(client):
    # AG0008-02's certificate ran until 2026-05-08: expired for every later day.
    product = Product.objects.get(sku="AG0008-02")
    assert product.certificate.expires_on == datetime.date(2026, 5, 8)
    _, html = page(client, reverse("storefront:product", args=[product.slug]))
    assert "Hết hiệu lực" in html
    assert "08/05/2026" in html
    assert "Còn hiệu lực" not in html


def test_valid_and_not_yet_valid_certificates(client):
    valid = make_product(
        "T-VALID", issued_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2099, 12, 31)
    )
    _, html = page(client, reverse("storefront:product", args=[valid.slug]))
    assert "Còn hiệu lực đến 31/12/2099" in html and "Hết hiệu lực" not in html

    expired = make_product(
        "T-EXPIRED", issued_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2022, 12, 31)
    )
    _, html = page(client, reverse("storefront:product", args=[expired.slug]))
    assert "Hết hiệu lực" in html and "31/12/2022" in html and "Còn hiệu lực" not in html

    future = make_product(
        "T-FUTURE", issued_on=datetime.date(2098, 1, 1), expires_on=datetime.date(2099, 1, 1)
    )
    _, html = page(client, reverse("storefront:product", args=[future.slug]))
    assert "Chưa có hiệu lực" in html and "Còn hiệu lực" not in html


def test_expired_certificate_is_greyed_on_cards_and_not_featured(client):
    expired = make_product(
        "T-OLD",
        issued_on=datetime.date(2020, 1, 1),
        expires_on=datetime.date(2022, 12, 31),
        price=777_777,
    )
    response, _ = page(client, reverse("storefront:home"))
    assert expired not in response.context["featured"]
    _, html = page(client, reverse("storefront:products") + "?price_min=777777&price_max=777777")
    card = html[html.index(reverse("storefront:product", args=[expired.slug])) :]
    assert 'class="stars off"' in card[:1500]


@pytest.mark.parametrize("status", ["draft", "hidden"])
def test_unpublished_products_are_not_found(client, status):
    row = next(r for r in sample.products() if r["status"] == status)
    product = Product.objects.get(sku=row["sku"])
    _, html = page(client, reverse("storefront:product", args=[product.slug]), status=404)
    assert "Không tìm thấy trang" in html


def test_products_of_an_inactive_producer_are_not_found(client):
    product = Product.objects.get(sku="AG0001-01")
    Producer.objects.filter(pk=product.producer_id).update(is_active=False)
    page(client, reverse("storefront:product", args=[product.slug]), status=404)
    page(client, reverse("storefront:producer", args=[product.producer.slug]), status=404)
    _, html = page(client, reverse("storefront:products") + "?q=Mắm+thái+Châu+Đốc")
    assert "HTX Thủy sản An Phú" not in html


def test_staff_may_preview_a_draft(admin_client):
    draft = make_product(
        "T-DRAFT",
        issued_on=datetime.date(2020, 1, 1),
        expires_on=datetime.date(2099, 1, 1),
        status="draft",
    )
    _, html = page(admin_client, reverse("storefront:product", args=[draft.slug]))
    assert "chưa hiển thị với khách mua" in html


def test_unknown_pages_get_the_friendly_404(client):
    for url in (
        reverse("storefront:product", args=["khong-co-san-pham-nay"]),
        reverse("storefront:producer", args=["khong-co"]),
        reverse("storefront:product_set", args=["9.9"]),
        "/trang-khong-ton-tai/",
    ):
        _, html = page(client, url, status=404)
        assert '<html lang="vi">' in html
        assert "Không tìm thấy trang" in html
        assert 'href="/"' in html
        assert html.count('name="q"') == 2  # header and the page body


def test_producer_page_lists_its_published_products(client):
    producer = Producer.objects.get(code="AG0003")
    response, html = page(client, reverse("storefront:producer", args=[producer.slug]))
    assert "<h1>HTX Dịch vụ nông nghiệp An Phú</h1>" in html
    assert "Hợp tác xã" in html
    assert "Xã An Phú" in html and "An Giang" in html
    assert producer.phone and f'href="tel:{producer.phone}"' in html
    expected = {r["sku"] for r in sample.published() if r["producer_code"] == "AG0003"}
    assert {p.sku for p in response.context["products"]} == expected
    assert "Mắm thái đặc biệt" in html


def test_images_are_lazy_webp_thumbnails_with_sizes(client):
    product = Product.objects.select_related("product_set", "certificate").get(sku="AG0001-01")
    image = ensure_placeholder(product)
    assert isinstance(image, ProductImage)
    _, html = page(client, reverse("storefront:products") + "?q=Mắm+thái+Châu+Đốc")
    tag = re.search(r'<img src="[^"]*' + re.escape(image.thumbnail_name(320)) + r'"[^>]*>', html)
    assert tag, "card image missing"
    tag = tag.group(0)
    assert 'loading="lazy"' in tag and 'width="320"' in tag and 'height="320"' in tag
    for size in (160, 320, 640):
        assert f"{image.thumbnail_url(size)} {size}w" in tag
        assert default_storage.exists(image.thumbnail_name(size))
    _, html = page(client, reverse("storefront:product", args=[product.slug]))
    assert f'src="{image.thumbnail_url(640)}"' in html


def test_pages_are_light(client):
    css = Path(finders.find("storefront/site.css")).read_bytes()
    assert 0 < len(css) < 15_000
    for url in (reverse("storefront:home"), reverse("storefront:products")):
        html = client.get(url).content
        assert len(html) + len(css) < 60_000, (url, len(html))
