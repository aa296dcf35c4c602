"""Fixtures for tests that need real commits (several connections, or no outer transaction)."""

import pytest

from marketplace.catalog.models import Stock
from marketplace.checkout.models import Checkout, Order
from tests.services import need_postgres


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Real commits that every thread's own connection sees.

    Not `django_db(transaction=True)`: its flush afterwards would also empty the sample catalog
    and the admin units that the rest of the suite reads. This cleans up exactly what it made.
    """
    with django_db_blocker.unblock():
        saved_stock = dict(Stock.objects.values_list("pk", "quantity"))
        checkouts_before = set(Checkout.objects.values_list("pk", flat=True))
        yield
        made = Checkout.objects.exclude(pk__in=checkouts_before)
        Order.objects.filter(checkout__in=made).delete()
        made.delete()
        for pk, quantity in saved_stock.items():
            Stock.objects.filter(pk=pk).exclude(quantity=quantity).update(quantity=quantity)


@pytest.fixture
def committed_postgres(request):
    """`committed` on PostgreSQL, skipped (before any database work) elsewhere."""
    need_postgres()
    request.getfixturevalue("committed")
