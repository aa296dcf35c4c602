"""A product's optional English name (issue 17 item 6): given in the portal and the API, shown
in the English storefront where the name shows, and found by search."""

import pytest

from marketplace.catalog.models import Product
from marketplace.search.services import browse_products
from producers.models import MemberRole, Membership

pytestmark = pytest.mark.django_db

SKU = "AG0045-01"  # Nước mắm nhĩ Phú Quốc


@pytest.fixture
def owner(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_user(username="+84912000451", password="x-Pass-9")
    producer = Product.objects.get(sku=SKU).producer
    Membership.objects.create(user=user, producer=producer, role=MemberRole.OWNER)
    return user


def _edit(client, product, **changes):
    page = client.get(f"/portal/san-pham/{product.pk}/")
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    return client.post(f"/portal/san-pham/{product.pk}/", {**data, **changes})


def test_the_owner_gives_an_english_name_in_the_portal_and_shoppers_find_and_see_it(
    client, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    product = Product.objects.get(sku=SKU)
    page = client.get(f"/portal/san-pham/{product.pk}/").content.decode()
    assert 'name="name_en"' in page and "Tên tiếng Anh" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(client, product, name_en="Phu Quoc  anchovy sauce")
    assert response.status_code == 302, response.content.decode()[:2000]
    product.refresh_from_db()
    assert product.name_en == "Phu Quoc anchovy sauce" and product.name == "Nước mắm nhĩ Phú Quốc"

    found = [p.sku for p in browse_products(first=5, search="anchovy sauce").items]
    assert found[0] == SKU
    client.logout()
    english = client.get(f"/san-pham/{product.slug}/?lang=en", HTTP_ACCEPT_LANGUAGE="en")
    html = english.content.decode()
    assert "<h1>Phu Quoc anchovy sauce</h1>" in html
    vietnamese = client.get(f"/san-pham/{product.slug}/", HTTP_ACCEPT_LANGUAGE="vi").content
    assert "<h1>Nước mắm nhĩ Phú Quốc</h1>" in vietnamese.decode()
    cards = client.get("/san-pham/", {"q": "anchovy"}, HTTP_ACCEPT_LANGUAGE="en").content
    assert "Phu Quoc anchovy sauce" in cards.decode()


def test_graphql_reads_and_writes_the_english_name(client, graphql, owner):
    from graphql_relay import to_global_id

    product = Product.objects.get(sku=SKU)
    read = 'query { product(sku: "' + SKU + '") { name nameEn } }'
    assert graphql(read)["data"]["product"] == {"name": product.name, "nameEn": None}
    mutation = """mutation($id: ID!) { productUpdate(id: $id, input: {nameEn: "Fish sauce"}) {
      product { nameEn } errors { field code message } } }"""
    client.force_login(owner)
    body = graphql(mutation, {"id": to_global_id("Product", product.pk)})
    assert body["data"]["productUpdate"] == {"product": {"nameEn": "Fish sauce"}, "errors": []}
    assert graphql(read)["data"]["product"]["nameEn"] == "Fish sauce"
