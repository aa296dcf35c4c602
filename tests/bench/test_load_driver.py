"""A few seconds of `make bench-load`'s driver against the test server: every kind of request
succeeds, and each checkout it counts as placed is one order in the database."""

import pytest
from django.core.cache import cache

from bench.load import catalogue, driver
from marketplace.checkout.models import Order
from tests.e2e.conftest import transactional_db  # noqa: F401  commits without a flush
from tests.marketplace.checkout.buying import sellable


@pytest.fixture
def shop(committed, transactional_db):  # noqa: F811
    return catalogue.read(list(sellable()[:5]))


def test_the_driver_runs_every_kind_and_its_orders_are_in_the_database(live_server, shop):
    host, port = live_server.url.removeprefix("http://").split(":")
    # One shopper: the test database may be SQLite in memory, one writer at a time.
    results = driver.drive(host, int(port), shop, 60, 1, "smoke", plan=list(driver.MIX) * 2)
    failed = [o for o in results.outcomes if not o.ok]
    assert failed == []
    assert sorted(o.kind for o in results.outcomes) == sorted(list(driver.MIX) * 2)
    assert shop.trace_paths != ["/"]  # the sample has lots to scan
    placed = dict(
        Order.objects.filter(email__startswith="load-smoke-").values_list("email", "number")
    )
    assert placed == results.placed and results.own_order_missing == 0


def test_a_lookup_probe_sees_the_limit(live_server, settings):
    settings.RATE_LIMITS_ENABLED = True
    cache.clear()  # no count left by another test of this process
    host, port = live_server.url.removeprefix("http://").split(":")
    outcomes = driver.probe_rate_limit(host, int(port), 12, 0.1)
    assert [allowed for _, allowed in outcomes] == [True] * 10 + [False] * 2
