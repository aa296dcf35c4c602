"""Routing to read replicas (config/db_router.py), on a mirror of the test database.

The mirror is the same database under a second alias, as Django's TEST MIRROR makes it; the
tests watch which connection ran each query. tests/storefront/test_replica_pair.py repeats
the important ones on a real PostgreSQL streaming replica.
"""

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext

from config import db_router
from marketplace.catalog.models import Product
from tests.marketplace.checkout.buying import three_producers
from tests.marketplace.checkout.test_views import checkout_post, fill_cart

PRODUCTS = "{ products(first: 3) { edges { node { sku name } } } }"


def _add_alias(alias, settings_dict):
    connections.settings[alias] = settings_dict  # settings.DATABASES is the same dict


def _drop_alias(alias):
    connections[alias].close()
    del connections[alias]
    del connections.settings[alias]
    db_router._down_until.pop(alias, None)


@pytest.fixture
def mirror():
    """A replica alias reading the test database (the real replica when one is configured)."""
    configured = db_router.replica_aliases()
    if configured:
        yield configured[0]
        return
    mirror = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    mirror["TEST"] = {**mirror["TEST"], "MIRROR": DEFAULT_DB_ALIAS}
    _add_alias("replica_1", mirror)
    yield "replica_1"
    _drop_alias("replica_1")


@pytest.fixture
def replica(committed, mirror):
    """The replica alias, outside any test transaction: the sample catalog is committed."""
    return mirror


class Watch:
    """The queries each connection ran inside the block."""

    def __init__(self, replica):
        self.on = {
            alias: CaptureQueriesContext(connections[alias]) for alias in ("default", replica)
        }
        self.replica = replica

    def __enter__(self):
        for capture in self.on.values():
            capture.__enter__()
        return self

    def __exit__(self, *exc):
        for capture in self.on.values():
            capture.__exit__(*exc)

    def count(self, alias):
        return len(self.on[self.replica if alias == "replica" else alias])


def test_healthz_says_whether_each_replica_answers(client, replica):
    assert client.get("/healthz").json()["replicas"][replica] == connections[replica].vendor


def test_a_storefront_page_reads_from_the_replica_and_does_not_pin(client, replica):
    with Watch(replica) as watch:
        response = client.get("/")
    assert response.status_code == 200
    assert watch.count("replica") > 0
    assert watch.count("default") == 0
    assert db_router.PIN_COOKIE not in response.cookies


def test_a_graphql_query_posted_reads_from_the_replica(client, replica):
    with Watch(replica) as watch:
        response = client.post("/graphql/", {"query": PRODUCTS}, content_type="application/json")
    assert len(response.json()["data"]["products"]["edges"]) == 3
    assert watch.count("replica") > 0 and watch.count("default") == 0
    assert db_router.PIN_COOKIE not in response.cookies


def test_a_mutation_reads_from_the_primary_and_pins_the_client(client, replica):
    mutation = (
        'mutation { checkoutCreate(input: {lines: [{sku: "nope", quantity: 1}], '
        'shippingAddress: {fullName: "Lan", phone: "0912345678", provinceCode: "01", '
        'wardCode: "00004", streetAddress: "12 Phố Điện Biên Phủ"}}) { errors { code } } }'
    )
    with Watch(replica) as watch:
        response = client.post("/graphql/", {"query": mutation}, content_type="application/json")
    assert response.json()["data"]["checkoutCreate"]["errors"]
    assert watch.count("replica") == 0 and watch.count("default") > 0
    cookie = response.cookies[db_router.PIN_COOKIE]
    assert cookie["max-age"] == settings.REPLICA_PIN_SECONDS and cookie["httponly"]


def test_after_a_post_the_same_client_reads_from_the_primary(client, replica):
    posted = client.post("/gio-hang/them/", {"sku": three_producers()[0].sku, "quantity": 1})
    assert posted.status_code == 302 and db_router.PIN_COOKIE in posted.cookies
    with Watch(replica) as watch:
        assert client.get("/gio-hang/").status_code == 200
    assert watch.count("replica") == 0 and watch.count("default") > 0
    # Another shopper, never pinned, still reads from the replica.
    client.cookies.clear()
    with Watch(replica) as watch:
        client.get("/")
    assert watch.count("replica") > 0


def test_the_order_just_placed_is_read_from_the_primary(client, replica):
    fill_cart(client, three_producers()[:1])
    placed = client.post("/thanh-toan/", checkout_post())
    assert placed.status_code == 302
    with Watch(replica) as watch:
        page = client.get(placed.url)
    assert page.status_code == 200
    assert watch.count("replica") == 0


def test_clients_without_cookies_can_ask_for_the_primary(client, replica):
    with Watch(replica) as watch:
        assert client.get("/", HTTP_X_READ_PRIMARY="1").status_code == 200
    assert watch.count("replica") == 0 and watch.count("default") > 0


def test_a_get_that_writes_pins_and_reads_its_own_write_from_the_primary(replica):
    with db_router.read_scope(True) as scope:
        assert db_router.ReplicaRouter().db_for_read(Product) == replica
        Product.objects.filter(pk=0).update(name="x")  # a write, even of no rows
        assert db_router.ReplicaRouter().db_for_read(Product) == DEFAULT_DB_ALIAS
    assert scope.wrote


@pytest.mark.django_db(databases="__all__")
def test_reads_inside_a_transaction_go_to_the_primary(mirror):
    router = db_router.ReplicaRouter()
    with db_router.read_scope(True):
        with transaction.atomic():
            assert router.db_for_read(Product) == DEFAULT_DB_ALIAS
            assert Product.objects.all().db == DEFAULT_DB_ALIAS


@pytest.mark.django_db(databases="__all__")
def test_outside_a_request_everything_goes_to_the_primary(mirror):
    router = db_router.ReplicaRouter()
    assert router.db_for_read(Product) == DEFAULT_DB_ALIAS
    assert Product.objects.all().db == DEFAULT_DB_ALIAS
    assert router.allow_migrate(replica, "catalog") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "catalog") is True


def test_a_replica_that_does_not_answer_is_skipped(client, committed, tmp_path, monkeypatch):
    for alias in db_router.replica_aliases():  # a real one must not answer in its place
        monkeypatch.setitem(db_router._down_until, alias, float("inf"))
    broken = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    if broken["ENGINE"].endswith("sqlite3"):
        broken["NAME"] = str(tmp_path / "missing" / "replica.sqlite3")
    else:
        broken.update(HOST="127.0.0.1", PORT="1", OPTIONS={"connect_timeout": 2})
    _add_alias("replica_9", broken)
    try:
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as primary:
            assert client.get("/").status_code == 200
        assert len(primary) > 0
        assert db_router._down_until["replica_9"] > 0
        health = client.get("/healthz").json()
        assert health["status"] == "ok" and health["replicas"]["replica_9"] == "down"
    finally:
        _drop_alias("replica_9")


def test_without_replicas_the_middleware_changes_nothing(client, committed):
    if db_router.replica_aliases():
        pytest.skip("replicas are configured in this run")
    response = client.post("/gio-hang/them/", {"sku": "nope", "quantity": 1})
    assert db_router.PIN_COOKIE not in response.cookies
