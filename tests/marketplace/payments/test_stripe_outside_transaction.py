"""No lock is held across a Stripe call; Stripe calls are bounded; a failure leaves a way on.

These run with real commits (as a server does): inside pytest's per-test transaction every
call would look like it is inside a transaction.
"""

import socket
import threading

import pytest
from django.db import connection, connections
from django.test import Client

from marketplace.catalog.models import Stock
from marketplace.checkout.models import Checkout, Order
from marketplace.payments import stripe_gateway
from marketplace.payments.models import PaymentMethod, PaymentStatus
from tests.marketplace.checkout.buying import checkout_for, three_producers

COMPLETE = """mutation($id: ID!, $method: PaymentMethod!) {
  checkoutComplete(checkoutId: $id, paymentMethod: $method) {
    order { number payment { method status stripeClientSecret vietqrPayload } }
    errors { field code message } } }"""


def complete(checkout, method="STRIPE") -> dict:
    response = Client().post(
        "/graphql/",
        {"query": COMPLETE, "variables": {"id": str(checkout.pk), "method": method}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content[:300]
    return response.json()["data"]["checkoutComplete"]


def _stock_row_is_free(product_id) -> bool:
    """From another connection: can the stock row be locked without waiting?"""
    free = []

    def probe():
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute(
                    "SELECT id FROM catalog_stock WHERE product_id = %s FOR UPDATE NOWAIT",
                    [product_id],
                )
                cursor.execute("ROLLBACK")
            free.append(True)
        except Exception:  # noqa: BLE001 - "could not obtain lock" is the answer
            free.append(False)
        finally:
            other.close()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join(10)
    return free == [True]


def test_the_stripe_call_runs_outside_any_transaction(committed_postgres, stripe_mock, monkeypatch):
    product = three_producers()[0]
    checkout = checkout_for([product])
    seen = []
    real = stripe_gateway.create_payment_intent

    def watched(amount, number):
        seen.append(connection.in_atomic_block)
        if connection.vendor == "postgresql":
            seen.append(_stock_row_is_free(product.pk))
        return real(amount, number)

    monkeypatch.setattr(stripe_gateway, "create_payment_intent", watched)
    result = complete(checkout)
    assert result["errors"] == []
    assert result["order"]["payment"]["stripeClientSecret"].startswith("pi_")
    expected = [False, True] if connection.vendor == "postgresql" else [False]
    assert seen == expected


def test_other_mutations_still_run_in_one_transaction(committed_postgres):
    from config.graphql_transactions import OUTSIDE_TRANSACTION, needs_transaction
    from config.schema import schema

    mutations = schema.graphql_schema.mutation_type.fields
    assert OUTSIDE_TRANSACTION <= set(mutations)
    for name in set(mutations) - OUTSIDE_TRANSACTION:
        assert needs_transaction(f"mutation {{ {name} }}", None), name
    assert not needs_transaction(
        "mutation { ...F } fragment F on Mutation { checkoutComplete }", None
    )
    assert not needs_transaction("query { checkoutComplete }", None)


@pytest.fixture
def silent_server():
    """Accepts connections and never answers: a Stripe that hangs. Yields its URL and the list
    of connections it has accepted."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", held
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    server.close()


def test_a_hanging_stripe_is_cut_off_and_the_shopper_can_retry_or_pay_another_way(
    committed_postgres,
    settings,
    silent_server,
):
    settings.STRIPE_API_BASE, connections = silent_server
    settings.STRIPE_TIMEOUT = 0.5
    settings.STRIPE_MAX_NETWORK_RETRIES = 1
    checkout = checkout_for(three_producers()[:1])
    result = complete(checkout)
    # Given up after the one retry allowed (two connections of 0.5 s each), not after the
    # library's default 80 s and two retries.
    assert len(connections) == 2, connections
    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("PAYMENT_UNAVAILABLE", "paymentMethod")
    ]
    assert result["order"]["payment"] == {
        "method": "STRIPE",
        "status": "PENDING",
        "stripeClientSecret": None,
        "vietqrPayload": None,
    }
    order = Order.objects.get(checkout=checkout)
    assert order.payment.status == PaymentStatus.PENDING
    # Another way to pay: the same checkout completed with VietQR switches the order's payment.
    again = complete(checkout, "VIETQR")
    assert again["errors"] == [] and again["order"]["number"] == order.number
    assert again["order"]["payment"]["method"] == "VIETQR"
    assert again["order"]["payment"]["vietqrPayload"]
    assert Order.objects.filter(checkout=checkout).count() == 1


def test_a_started_card_payment_cannot_be_switched(committed_postgres, stripe_mock):
    checkout = checkout_for(three_producers()[:1])
    assert complete(checkout)["errors"] == []
    switched = complete(checkout, "COD")
    assert [e["code"] for e in switched["errors"]] == ["PAYMENT_METHOD_LOCKED"]
    assert Order.objects.get(checkout=checkout).payment.method == PaymentMethod.STRIPE


def test_retrying_after_stripe_comes_back_creates_the_intent(
    committed_postgres, settings, stripe_mock
):
    base = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens: refused at once
    checkout = checkout_for(three_producers()[:1])
    assert [e["code"] for e in complete(checkout)["errors"]] == ["PAYMENT_UNAVAILABLE"]
    settings.STRIPE_API_BASE = base
    retried = complete(checkout)
    assert retried["errors"] == []
    assert retried["order"]["payment"]["stripeClientSecret"].startswith("pi_")
    assert Checkout.objects.filter(pk=checkout.pk).exists()
    assert Stock.objects.filter(product__in=[checkout.lines.get().product_id]).exists()
