"""Product querysets: who sees what, written once in the model layer."""

import pytest
from django.contrib.auth.models import AnonymousUser

from marketplace.catalog.models import Product, ProductStatus
from producers.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return Product.objects.filter(status=ProductStatus.DRAFT).select_related("producer").first()


def test_published_excludes_drafts_hidden_and_inactive_producers(draft):
    published = Product.objects.published()
    assert not published.exclude(status=ProductStatus.PUBLISHED).exists()
    assert draft not in published
    live = published.select_related("producer").first()
    live.producer.is_active = False
    live.producer.save()
    assert live not in Product.objects.published()


def test_visible_to_and_for_member(django_user_model, draft):
    member = django_user_model.objects.create_user("thanh-vien")
    Membership.objects.create(user=member, producer=draft.producer)
    staff = django_user_model.objects.create_user("can-bo", is_staff=True)
    stranger = django_user_model.objects.create_user("nguoi-la")

    assert draft not in Product.objects.visible_to(AnonymousUser())
    assert draft not in Product.objects.visible_to(stranger)
    assert draft in Product.objects.visible_to(member)
    assert draft in Product.objects.visible_to(staff)
    assert Product.objects.visible_to(stranger).count() == Product.objects.published().count()

    own = set(Product.objects.for_member(member).values_list("pk", flat=True))
    assert own == set(draft.producer.products.values_list("pk", flat=True))
    assert not Product.objects.for_member(stranger).exists()
    assert not Product.objects.for_member(AnonymousUser()).exists()
    assert Product.objects.for_member(staff).count() == Product.objects.count()


def test_ocop_stars_and_stock_quantity():
    product = Product.objects.select_related("certificate", "stock").exclude(certificate=None)[0]
    assert product.ocop_stars == product.certificate.stars
    assert product.stock_quantity == product.stock.quantity
