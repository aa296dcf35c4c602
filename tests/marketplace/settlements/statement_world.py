"""Shared pieces of the statement and payout tests: a clock the services read, and orders
moved along through the real services on given days."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from marketplace.checkout.models import OrderStatus
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.checkout.services.returns import request_return, respond
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod
from marketplace.settlements import statements
from producers.models import Producer, ProducerKind
from tests.marketplace.checkout.buying import checkout_for, three_producers
from tests.marketplace.payments.refunding import staff_user

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SHIP = Fulfilment(carrier="GHN", tracking_number="GHN-5555", cancel_reason="Hết hàng")
FLOW = (OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
# Monday to Sunday weeks, Vietnam time.
WEEK1 = statements.Period(datetime.date(2026, 11, 2), datetime.date(2026, 11, 8))
WEEK2 = statements.Period(datetime.date(2026, 11, 9), datetime.date(2026, 11, 15))


def at(day: datetime.date, hour=10) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=VN)


@pytest.fixture
def clock(monkeypatch):
    """`clock(moment)`: from then on the services (and auto_now fields) read that time."""

    def set_to(moment: datetime.datetime):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


def household(product):
    Producer.objects.filter(pk=product.producer_id).update(kind=ProducerKind.HO_KINH_DOANH)


def delivered(products, quantity=1, method=PaymentMethod.COD, settings=None):
    """An order of `products` placed, paid (VietQR: in full) and delivered now."""
    if method == PaymentMethod.VIETQR:
        settings.VIETQR_BANK_BIN = "970403"
        settings.VIETQR_ACCOUNT_NUMBER = "0011012345678"
    order = complete_checkout(checkout_for(products, quantity).pk, method)
    if method == PaymentMethod.VIETQR:
        payments.receive(order.payment, order.total, f"bank:{order.number}")
    for sub in order.sub_orders.all():
        for status in FLOW:
            sub = set_sub_order_status(sub.pk, status, SHIP)
    return order


def returned(order, sub):
    item = request_return(order, sub.pk, "Hàng bị móp")
    respond(staff_user("+84900000009"), item.pk, accept=True)
    return item


def first_producer_product():
    product = three_producers()[0]
    household(product)
    return product
