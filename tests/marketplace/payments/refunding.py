"""Shared helpers for refund and return tests: paid orders and their sub-orders moved along."""

from django.contrib.auth import get_user_model

from marketplace.checkout.models import OrderStatus
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod
from producers.models import MemberRole, Membership
from tests.marketplace.checkout.buying import checkout_for, sellable, three_producers

SHIP = Fulfilment(carrier="GHN", tracking_number="GHN-0001", cancel_reason="Hết hàng")
VIETQR_BIN = "970403"  # Sacombank


def vietqr_order(settings, producers=2, quantity=1, paid=True):
    settings.VIETQR_BANK_BIN = VIETQR_BIN
    settings.VIETQR_ACCOUNT_NUMBER = "0011012345678"
    products = three_producers()[:producers]
    order = complete_checkout(checkout_for(products, quantity).pk, PaymentMethod.VIETQR)
    if paid:
        payments.receive(order.payment, order.total, f"bank:{order.number}")
        order.payment.refresh_from_db()
    return order


def cod_order(producers=2, quantity=1):
    products = three_producers()[:producers]
    return complete_checkout(checkout_for(products, quantity).pk, PaymentMethod.COD)


def two_line_order(settings, method=PaymentMethod.VIETQR):
    """One producer's sub-order with two lines."""
    by_producer = {}
    for product in sellable():
        by_producer.setdefault(product.producer_id, []).append(product)
    pair = next(products[:2] for products in by_producer.values() if len(products) >= 2)
    settings.VIETQR_BANK_BIN = VIETQR_BIN
    settings.VIETQR_ACCOUNT_NUMBER = "0011012345678"
    order = complete_checkout(checkout_for(pair).pk, method)
    if method == PaymentMethod.VIETQR:
        payments.receive(order.payment, order.total, f"bank:{order.number}")
        order.payment.refresh_from_db()
    return order


def deliver(sub):
    for status in (OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        sub = set_sub_order_status(sub.pk, status, SHIP)
    return sub


def staff_user(phone="+84900000001"):
    return get_user_model().objects.create_user(
        username=f"staff{phone}", password="x", is_staff=True
    )


def member_of(producer, username="member"):
    user = get_user_model().objects.create_user(username=username, password="x")
    Membership.objects.create(user=user, producer=producer, role=MemberRole.OWNER)
    return user
