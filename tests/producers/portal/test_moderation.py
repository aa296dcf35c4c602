"""Staff approve or suspend producer accounts (Django admin actions → producers.accounts)."""

import pytest

from marketplace.catalog.models import Product
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
