"""20 deliveries of one seller at once on PostgreSQL, each thread with its own connection: the
invoices are numbered 1..20, no gap, no duplicate (the counter row is locked FOR UPDATE in the
transaction that writes each invoice)."""

import time

import pytest

from marketplace.catalog.models import Stock
from marketplace.checkout.models import OrderStatus
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import set_sub_order_status
from marketplace.invoices import document
from marketplace.invoices.models import Invoice, InvoiceCounter, InvoiceProfile
from marketplace.payments.models import PaymentMethod
from tests.marketplace.checkout.buying import checkout_for, three_producers
from tests.marketplace.invoices.helpers import invoicing_producer, ship_to
from tests.marketplace.test_races import run_together

pytestmark = pytest.mark.postgres
DELIVERIES = 20


@pytest.fixture
def seller(committed_postgres):
    product = three_producers()[0]
    producer = product.producer
    tax_code = producer.tax_code
    Stock.objects.filter(product=product).update(quantity=1000)  # `committed` puts it back
    yield invoicing_producer(product)
    Invoice.objects.filter(producer=producer).delete()
    InvoiceCounter.objects.filter(producer=producer).delete()
    InvoiceProfile.objects.filter(producer=producer).delete()
    producer.tax_code = tax_code
    producer.save(update_fields=["tax_code"])


def test_twenty_concurrent_deliveries_are_numbered_without_gap_or_duplicate(seller, monkeypatch):
    subs = []
    for _ in range(DELIVERIES):
        order = complete_checkout(checkout_for([seller]).pk, PaymentMethod.COD)
        sub = order.sub_orders.get()
        ship_to(sub, OrderStatus.SHIPPED)
        subs.append(sub.pk)
    # Widen the window between taking a number and writing the invoice, as a slow server would.
    real_build = document.build

    def slow_build(data):
        time.sleep(0.05)
        return real_build(data)

    monkeypatch.setattr(document, "build", slow_build)
    _, errors = run_together(
        *[lambda pk=pk: set_sub_order_status(pk, OrderStatus.DELIVERED) for pk in subs]
    )
    assert errors == [None] * DELIVERIES
    numbers = sorted(Invoice.objects.filter(sub_order_id__in=subs).values_list("number", flat=True))
    assert numbers == list(range(1, DELIVERIES + 1))
    counter = InvoiceCounter.objects.get(producer=seller.producer)
    assert counter.last_number == DELIVERIES
