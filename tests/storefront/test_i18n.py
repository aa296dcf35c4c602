"""English comes from locale/en (compiled .mo committed beside the .po)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from marketplace.catalog.models import Product

pytestmark = pytest.mark.django_db
LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def test_catalog_files_live_in_locale_paths():
    assert LOCALE.parent.parent in [Path(p) for p in settings.LOCALE_PATHS]
    assert (LOCALE / "django.po").exists() and (LOCALE / "django.mo").exists()


def test_switching_language_renders_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("storefront:home")})
    assert response.status_code == 302
    html = client.get(reverse("storefront:home")).content.decode()
    assert '<html lang="en">' in html
    assert "Featured products" in html and "OCOP product groups" in html
    assert "Processed meat, eggs, milk, fish, honey" in html  # the set's English name
    assert "Sản phẩm nổi bật" not in html


def test_english_product_page_and_listing(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    product = Product.objects.get(sku="AG0008-02")  # expired certificate
    html = client.get(reverse("storefront:product", args=[product.slug])).content.decode()
    assert "Expired" in html and "08/05/2026" in html and "Valid until" not in html
    assert "\u00a0₫" in html and "Producer" in html and "In stock" in html
    html = client.get(reverse("storefront:products"), {"stars": "x"}).content.decode()
    assert "Ignored invalid values: Stars." in html
    assert "158 products" in html and "Next page" in html


def test_english_producer_kind_and_404(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("storefront:producer", args=["htx-thuy-san-an-phu"])).content.decode()
    assert "Cooperative" in html
    response = client.get("/san-pham/khong-co/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_vietnamese_is_the_default(client):
    html = client.get(reverse("storefront:home")).content.decode()
    assert '<html lang="vi">' in html and "Sản phẩm nổi bật" in html
    with translation.override("en"):
        assert translation.gettext("Hết hiệu lực") == "Expired"
