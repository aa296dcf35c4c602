import re

import pytest

from marketplace.catalog.models import Product


@pytest.mark.django_db
def test_product_page_form_puts_the_product_in_the_cart(client):
    product = Product.objects.get(sku="AG0001-01")
    page = client.get(f"/san-pham/{product.slug}/")
    html = page.content.decode()
    assert 'href="/gio-hang/"' in html
    form = re.search(r'<form class="add-to-cart" action="([^"]+)"', html)
    assert form, "the product page offers an add-to-cart form"

    response = client.post(form.group(1), {"sku": product.sku, "quantity": 2}, follow=True)

    assert response.status_code == 200
    cart = response.content.decode()
    assert product.name in cart
    assert "430.000" in cart  # 2 × 215.000 ₫


@pytest.mark.django_db
def test_sold_out_product_page_has_no_add_to_cart_form(client):
    product = Product.objects.get(sku="AG0003-03")  # stock 0 in the sample
    html = client.get(f"/san-pham/{product.slug}/").content.decode()
    assert "Hết hàng" in html
    assert 'class="add-to-cart"' not in html
