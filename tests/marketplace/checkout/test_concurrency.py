"""20 shoppers complete checkouts at the same moment for the last 5 units (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from marketplace.catalog.models import Stock
from marketplace.checkout.models import Order
from marketplace.checkout.services.complete import complete_checkout
from marketplace.errors import ValidationFailed
from marketplace.payments.models import PaymentMethod
from tests.marketplace.checkout.buying import checkout_for, three_producers
from tests.services import need_postgres

SHOPPERS = 20
UNITS = 5


@pytest.mark.postgres
def test_twenty_simultaneous_checkouts_for_five_units_sell_exactly_five(committed):
    need_postgres()
    product = three_producers()[0]
    checkouts = [checkout_for([product]) for _ in range(SHOPPERS)]
    Stock.objects.filter(product=product).update(quantity=UNITS)
    start = threading.Barrier(SHOPPERS)
    orders, errors, crashes = [], [], []

    def shop(checkout_id):
        try:
            start.wait(timeout=30)
            orders.append(complete_checkout(checkout_id, PaymentMethod.COD).number)
        except ValidationFailed as exc:
            errors.append([e.code for e in exc.errors])
        except Exception as exc:  # anything else is a bug the assertions must show
            crashes.append(repr(exc))
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=shop, args=(c.pk,)) for c in checkouts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert crashes == []
    assert len(orders) == UNITS
    assert errors == [["OUT_OF_STOCK"]] * (SHOPPERS - UNITS)
    assert Stock.objects.get(product=product).quantity == 0
    assert Order.objects.filter(checkout__in=checkouts).count() == UNITS


@pytest.mark.postgres
def test_the_same_checkout_completed_concurrently_makes_one_order(committed):
    need_postgres()
    checkout = checkout_for(three_producers()[:1])
    start = threading.Barrier(5)
    numbers = []

    def complete():
        try:
            start.wait(timeout=30)
            numbers.append(complete_checkout(checkout.pk, PaymentMethod.COD).number)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(numbers) == 5 and len(set(numbers)) == 1
    assert Order.objects.filter(checkout=checkout).count() == 1
