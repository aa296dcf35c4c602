"""A delivered cash-on-delivery order of one product, its buyer's browser, and the people of
the authorization matrix (the portal tests' users, plus platform staff and the trade office)."""

import pytest
from django.utils import timezone

from marketplace.checkout import services as checkout
from marketplace.checkout.access import ORDERS_SESSION_KEY
from marketplace.checkout.models import OrderStatus, SubOrder
from marketplace.payments.models import PaymentMethod
from tests.marketplace.checkout.buying import checkout_for
from tests.producers.portal import conftest as portal

# The portal tests' people and products, as fixtures here too.
_fast_password_hashing = portal._fast_password_hashing
producer, other_producer, product = portal.producer, portal.other_producer, portal.product
owner, staff_member, other_owner = portal.owner, portal.staff_member, portal.other_owner
shopper = portal.shopper

BUYER_PHONE = "+84912345678"  # tests.marketplace.checkout.buying.hanoi_address


def place_order(product, quantity=1, *, delivered=True):
    order = checkout.complete_checkout(checkout_for([product], quantity).pk, PaymentMethod.COD)
    if delivered:
        SubOrder.objects.filter(order=order).update(
            status=OrderStatus.DELIVERED, delivered_at=timezone.now()
        )
    return order


def first_line(order):
    return order.sub_orders.get().lines.get()


def grant(client, *numbers):
    session = client.session
    session[ORDERS_SESSION_KEY] = list(numbers)
    session.save()


@pytest.fixture
def order(product):
    return place_order(product)


@pytest.fixture
def line(order):
    return first_line(order)


@pytest.fixture
def platform_staff(django_user_model):
    return django_user_model.objects.create_user(
        username="+84900000001", password="x", is_staff=True, is_superuser=True
    )


@pytest.fixture
def office_user(django_user_model):
    from marketplace.access import office_group

    user = django_user_model.objects.create_user(username="+84900000002", password="x")
    user.groups.add(office_group())
    return user
