"""The storefront on a real PostgreSQL primary + streaming replica (DATABASE_REPLICA_URLS).

.ci/services/replica.sh makes the replica with pg_basebackup -R. Replay is paused on it to make
lag that cannot be missed: the order just placed is not on the replica yet, and the shopper who
placed it still sees it, because their own reads stay on the primary for a while.
"""

import contextlib
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

from config import db_router
from marketplace.checkout.models import Order
from tests.marketplace.checkout.buying import three_producers
from tests.marketplace.checkout.test_views import checkout_post, fill_cart
from tests.services import need_replica

pytestmark = pytest.mark.postgres


@pytest.fixture
def replica(committed):
    need_replica()
    return db_router.replica_aliases()[0]


def _value(alias, sql, params=()):
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def _caught_up(replica, timeout=30):
    """Wait until the replica has replayed everything the primary has written so far."""
    target = _value(DEFAULT_DB_ALIAS, "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while _value(replica, "SELECT pg_last_wal_replay_lsn() < %s::pg_lsn", [target]):
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.05)


@contextlib.contextmanager
def replay_paused(replica):
    # This session's commits must not wait for a replica that is told not to replay.
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SET synchronous_commit = local")
    _value(replica, "SELECT pg_wal_replay_pause()::text")
    try:
        yield
    finally:
        _value(replica, "SELECT pg_wal_replay_resume()::text")
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
        _caught_up(replica)


@pytest.mark.django_db(databases="__all__")
def test_the_replica_is_a_standby_of_the_primary():
    need_replica()
    replica = db_router.replica_aliases()[0]
    assert _value(replica, "SELECT pg_is_in_recovery()") is True
    assert _value(DEFAULT_DB_ALIAS, "SELECT pg_is_in_recovery()") is False
    assert (
        _value(replica, "SELECT current_database()")
        == connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]
    )


@pytest.mark.parametrize("path", ["/", "/san-pham/?q=mắm"])
def test_storefront_pages_are_answered_by_the_replica(client, replica, path):
    _caught_up(replica)
    with CaptureQueriesContext(connections[replica]) as on_replica:
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary:
            response = client.get(path)
    assert response.status_code == 200
    assert len(on_replica) > 0 and len(on_primary) == 0


def test_a_product_page_and_a_graphql_query_read_the_same_rows_on_the_replica(client, replica):
    product = three_producers()[0]
    _caught_up(replica)
    with CaptureQueriesContext(connections[replica]) as on_replica:
        page = client.get(f"/san-pham/{product.slug}/")
        answer = client.post(
            "/graphql/",
            {
                "query": "query($s: String!) { product(sku: $s) { sku name } }",
                "variables": {"s": product.sku},
            },
            content_type="application/json",
        ).json()
    assert page.status_code == 200 and product.name in page.content.decode()
    assert answer["data"]["product"] == {"sku": product.sku, "name": product.name}
    assert len(on_replica) > 0


def test_the_shopper_sees_the_order_just_placed_while_the_replica_lags(client, replica):
    fill_cart(client, three_producers()[:1])
    _caught_up(replica)
    with replay_paused(replica):
        placed = client.post("/thanh-toan/", checkout_post())
        assert placed.status_code == 302
        number = placed.url.rstrip("/").rsplit("/", 1)[-1]
        # The lag is real: the replica does not have the order yet …
        on_replica = _value(
            replica, "SELECT count(*) FROM checkout_order WHERE number = %s", [number]
        )
        assert on_replica == 0
        assert Order.objects.using(DEFAULT_DB_ALIAS).filter(number=number).exists()
        # … yet the shopper, pinned to the primary by the checkout's POST, sees it.
        assert db_router.PIN_COOKIE in client.cookies
        page = client.get(placed.url)
        assert page.status_code == 200 and number in page.content.decode()
        # Without the pin the same session would read the replica and miss its own order.
        del client.cookies[db_router.PIN_COOKIE]
        assert client.get(placed.url).status_code == 404
    # Once replay resumes the replica has it too.
    assert _value(replica, "SELECT count(*) FROM checkout_order WHERE number = %s", [number]) == 1
