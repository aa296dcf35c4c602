"""Dashboard: low stock and certificates about to expire, for the member's producers only."""

import datetime

import pytest
from django.utils import timezone

from marketplace.catalog.stock import set_stock
from producers.models import OcopCertificate

pytestmark = pytest.mark.django_db


def test_low_stock_and_expiring_certificates(
    client, owner, producer, product, other_product, django_assert_max_num_queries
):
    set_stock(product, 2)
    set_stock(other_product, 1)
    today = timezone.localdate()
    certificate = producer.certificates.first()
    OcopCertificate.objects.filter(pk=certificate.pk).update(
        expires_on=today + datetime.timedelta(days=30)
    )
    foreign = other_product.producer.certificates.first()
    OcopCertificate.objects.filter(pk=foreign.pk).update(
        expires_on=today + datetime.timedelta(days=10)
    )
    client.force_login(owner)
    # session, user, membership, producers, 4 figure queries, 4 lists: constant in shop size
    with django_assert_max_num_queries(12):
        body = client.get("/portal/").content.decode()
    assert f'id="low-{product.pk}"' in body
    assert f'id="low-{other_product.pk}"' not in body
    assert certificate.number in body
    assert foreign.number not in body
    expiry = (today + datetime.timedelta(days=30)).strftime("%d/%m/%Y")
    assert expiry in body


def test_restock_from_the_dashboard(client, owner, product):
    set_stock(product, 0)
    client.force_login(owner)
    client.post(f"/portal/san-pham/{product.pk}/sua-nhanh/", {"stock": "40"})
    product.stock.refresh_from_db()
    assert product.stock.quantity == 40
    assert f'id="low-{product.pk}"' not in client.get("/portal/").content.decode()


def test_suspended_producer_sees_the_pending_notice(client, owner, producer):
    producer.is_active = False
    producer.save()
    client.force_login(owner)
    assert "đang chờ Sở Công Thương duyệt" in client.get("/portal/").content.decode()
