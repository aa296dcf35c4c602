"""Staff moderation: approve/suspend producers, hide a listing with a reason (Django admin)."""

import unicodedata

import pytest
from graphql_relay import to_global_id

from marketplace.catalog import services
from marketplace.catalog.models import Product, ProductStatus
from marketplace.errors import DomainError
from producers import listings

pytestmark = pytest.mark.django_db


def _act(client, action, producer):
    return client.post(
        "/admin/producers/producer/",
        {"action": action, "_selected_action": [producer.pk]},
        follow=True,
    )


def test_suspend_then_approve(client, admin_user, owner, producer, product):
    client.force_login(admin_user)
    response = _act(client, "suspend", producer)
    assert "Đã tạm ngưng 1 chủ thể." in response.content.decode()
    producer.refresh_from_db()
    assert not producer.is_active
    assert not Product.objects.published().filter(pk=product.pk).exists()

    client.force_login(owner)
    assert "đang chờ Sở Công Thương duyệt" in client.get("/portal/").content.decode()

    client.force_login(admin_user)
    assert "Đã duyệt 1 chủ thể." in _act(client, "approve", producer).content.decode()
    producer.refresh_from_db()
    assert producer.is_active
    assert listings.set_published(owner, product.pk, True).is_published


def test_members_cannot_moderate(client, owner, producer):
    client.force_login(owner)
    response = client.post(
        "/admin/producers/producer/", {"action": "suspend", "_selected_action": [producer.pk]}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    producer.refresh_from_db()
    assert producer.is_active


# --- Staff hide a listing with a reason the producer reads ------------------------------------

REASON = "Ảnh sản phẩm dùng logo OCOP sai quy định"


def _admin_action(client, action, product, **extra):
    return client.post(
        "/admin/catalog/product/",
        {"action": action, "_selected_action": [product.pk], **extra},
        follow=True,
    )


def test_staff_hide_with_a_reason_through_the_admin_form(client, admin_user, product):
    listings_before = Product.objects.published().count()
    client.force_login(admin_user)
    form_page = _admin_action(client, "moderate_hide", product).content.decode()
    assert product.sku in form_page and 'name="reason"' in form_page
    product.refresh_from_db()
    assert product.is_published  # choosing the action only asks for the reason

    empty = _admin_action(client, "moderate_hide", product, apply="1", reason="   ")
    assert 'name="reason"' in empty.content.decode()
    product.refresh_from_db()
    assert product.is_published and not product.is_moderated

    done = _admin_action(
        client, "moderate_hide", product, apply="1", reason=unicodedata.normalize("NFD", REASON)
    )
    assert "Đã ẩn 1 sản phẩm kèm lý do." in done.content.decode()
    product.refresh_from_db()
    assert (product.status, product.moderation_reason) == (ProductStatus.HIDDEN, REASON)
    assert product.moderated_by == admin_user and product.moderated_at is not None
    assert Product.objects.published().count() == listings_before - 1


def test_the_producer_sees_the_reason_and_cannot_republish(client, admin_user, owner, product):
    services.moderate_hide(product, REASON, admin_user)
    client.force_login(owner)
    for page in ("/portal/", "/portal/san-pham/", f"/portal/san-pham/{product.pk}/"):
        assert REASON in client.get(page).content.decode()
    assert (
        f'action="/portal/san-pham/{product.pk}/dang-ban/"'
        not in client.get("/portal/san-pham/").content.decode()
    )

    response = client.post(
        f"/portal/san-pham/{product.pk}/dang-ban/", {"action": "publish"}, follow=True
    )
    assert "ban quản lý ẩn" in response.content.decode()
    with pytest.raises(DomainError) as caught:
        listings.set_published(owner, product.pk, True)
    assert caught.value.code == "MODERATED"
    # Fixing the listing is allowed; it stays hidden.
    listings.quick_update(owner, product.pk, price="99k")
    product.refresh_from_db()
    assert (product.price, product.status) == (99_000, ProductStatus.HIDDEN)

    services.clear_moderation(product, admin_user)
    product.refresh_from_db()
    assert product.status == ProductStatus.HIDDEN and not product.is_moderated
    assert listings.set_published(owner, product.pk, True).is_published


def test_graphql_publish_of_a_moderated_listing_is_refused(client, admin_user, owner, product):
    services.moderate_hide(product, REASON, admin_user)
    client.force_login(owner)
    response = client.post(
        "/graphql/",
        {
            "query": """mutation($id: ID!) { productUpdate(id: $id, input: {published: true}) {
            product { sku } errors { code message } } }""",
            "variables": {"id": to_global_id("Product", product.pk)},
        },
        content_type="application/json",
    )
    payload = response.json()["data"]["productUpdate"]
    assert [e["code"] for e in payload["errors"]] == ["MODERATED"]
    assert REASON in payload["errors"][0]["message"]
    product.refresh_from_db()
    assert product.status == ProductStatus.HIDDEN


def test_import_cannot_republish_a_moderated_listing(admin_user, product):
    services.moderate_hide(product, REASON, admin_user)
    data = services.ProductData(
        sku=product.sku,
        name=product.name,
        producer=product.producer,
        product_set_code=product.product_set_id,
        unit=product.unit,
        price=product.price,
        gtin=product.gtin or "",
        status=ProductStatus.PUBLISHED,
    )
    with pytest.raises(DomainError) as caught:
        services.upsert_product(data)
    assert caught.value.code == "MODERATED"
    product.refresh_from_db()
    assert product.status == ProductStatus.HIDDEN


def test_only_staff_moderate_and_a_reason_is_required(admin_user, owner, product):
    with pytest.raises(DomainError) as caught:
        services.moderate_hide(product, REASON, owner)
    assert caught.value.code == "PERMISSION_DENIED"
    with pytest.raises(DomainError) as caught:
        services.clear_moderation(product, owner)
    assert caught.value.code == "PERMISSION_DENIED"
    for reason, code in (("  ", "REQUIRED"), ("x" * 501, "TOO_LONG")):
        with pytest.raises(DomainError) as caught:
            services.moderate_hide(product, reason, admin_user)
        assert (caught.value.code, caught.value.field) == (code, "reason")
    product.refresh_from_db()
    assert product.is_published and not product.is_moderated


def test_staff_clear_moderation_from_the_admin(client, admin_user, product):
    services.moderate_hide(product, REASON, admin_user)
    client.force_login(admin_user)
    response = _admin_action(client, "clear_moderation", product)
    assert "Đã bỏ kiểm duyệt 1 sản phẩm." in response.content.decode()
    product.refresh_from_db()
    assert not product.is_moderated and product.status == ProductStatus.HIDDEN


def test_members_cannot_use_the_moderation_actions(client, owner, product):
    client.force_login(owner)
    response = client.post(
        "/admin/catalog/product/",
        {"action": "moderate_hide", "_selected_action": [product.pk], "apply": "1", "reason": "x"},
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    product.refresh_from_db()
    assert product.is_published and not product.is_moderated


# --- Producers not (or no longer) approved cannot publish ------------------------------------


def test_a_producer_that_is_not_approved_cannot_publish(client, admin_user, owner, producer):
    draft = listings.create_listing(
        owner,
        producer,
        listings.ListingInput(name="Mắm cá linh", product_set_code="1.8", unit="hũ", price="90k"),
    )
    client.force_login(admin_user)
    _act(client, "suspend", producer)
    client.force_login(owner)
    response = client.post(
        f"/portal/san-pham/{draft.pk}/dang-ban/", {"action": "publish"}, follow=True
    )
    assert "tạm ngưng" in response.content.decode()
    response = client.post(
        "/graphql/",
        {
            "query": """mutation($id: ID!) { productUpdate(id: $id, input: {published: true}) {
            product { sku } errors { code } } }""",
            "variables": {"id": to_global_id("Product", draft.pk)},
        },
        content_type="application/json",
    )
    assert response.json()["data"]["productUpdate"]["errors"] == [{"code": "PRODUCER_INACTIVE"}]
    draft.refresh_from_db()
    assert draft.status == ProductStatus.DRAFT
