"""Stripe: PaymentIntents against the real stripe-mock; webhooks signed like Stripe signs them."""

import hashlib
import hmac
import json
import os
import time

import pytest

from marketplace.checkout.ledger_check import all_problems
from marketplace.checkout.services.complete import complete_checkout
from marketplace.payments.models import PaymentEvent, PaymentMethod, PaymentStatus
from marketplace.settlements.models import Account, Posting
from tests.marketplace.checkout.buying import checkout_for, three_producers
from tests.marketplace.payments.conftest import SECRET
from tests.services import need

pytestmark = pytest.mark.django_db

WEBHOOK = "/payments/stripe/webhook/"


def sign(payload: bytes, secret: str = SECRET, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(event_id: str, kind: str, intent_id: str, amount: int) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": kind,
            "api_version": "2026-08-26.dahlia",
            "data": {
                "object": {
                    "id": intent_id,
                    "object": "payment_intent",
                    "amount": amount,
                    "amount_received": amount if kind.endswith("succeeded") else 0,
                    "currency": "vnd",
                }
            },
        }
    ).encode()


def post(client, payload: bytes, signature: str):
    return client.post(
        WEBHOOK, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


@pytest.fixture
def stripe_order(stripe_mock):
    return complete_checkout(checkout_for(three_producers()[:2]).pk, PaymentMethod.STRIPE)


def test_payment_intent_is_created_in_vnd_at_stripe_mock(stripe_order):
    payment = stripe_order.payment
    assert payment.stripe_payment_intent.startswith("pi_")
    assert "_secret_" in payment.stripe_client_secret
    assert payment.amount == stripe_order.total
    assert payment.status == PaymentStatus.PENDING
    # Completing again neither makes a second order nor a second PaymentIntent.
    again = complete_checkout(stripe_order.checkout_id, PaymentMethod.STRIPE)
    assert again.pk == stripe_order.pk
    again.payment.refresh_from_db()
    assert again.payment.stripe_payment_intent == payment.stripe_payment_intent


def test_amount_is_sent_in_whole_dong(stripe_mock):
    from marketplace.payments import stripe_gateway

    # VND has no minor unit at Stripe: 180.000 ₫ is sent as 180000, not 18000000.
    intent = stripe_gateway.create_payment_intent(180000, "DHTEST01")
    assert (intent.amount, intent.currency) == (180000, "vnd")


def test_signed_webhook_marks_paid_once_and_replays_change_nothing(client, stripe_order):
    payment = stripe_order.payment
    payload = event(
        "evt_ok_1", "payment_intent.succeeded", payment.stripe_payment_intent, payment.amount
    )
    first = post(client, payload, sign(payload))
    assert first.status_code == 200 and first.json()["outcome"] == "paid"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.amount_received == payment.amount
    ledger = PaymentEvent.objects.filter(payment=payment).count()
    replay = post(client, payload, sign(payload))
    assert replay.status_code == 200 and replay.json()["outcome"] == "duplicate"
    assert PaymentEvent.objects.filter(payment=payment).count() == ledger
    # The money sits at Stripe, owed to the shopper until delivery; posted once.
    postings = Posting.objects.filter(order=stripe_order).values_list("account", "amount")
    assert sorted(postings) == [
        (Account.SHOPPER_FUNDS, -payment.amount),
        (Account.STRIPE_BALANCE, payment.amount),
    ]
    assert all_problems() == []


def test_forged_altered_and_stale_webhooks_are_rejected(client, stripe_order):
    payment = stripe_order.payment
    payload = event(
        "evt_forged", "payment_intent.succeeded", payment.stripe_payment_intent, payment.amount
    )
    assert post(client, payload, sign(payload, secret="whsec_attacker")).status_code == 400
    altered = payload.replace(b"evt_forged", b"evt_altered")
    assert post(client, altered, sign(payload)).status_code == 400
    stale = sign(payload, timestamp=int(time.time()) - 3600)
    assert post(client, payload, stale).status_code == 400
    assert post(client, payload, "").status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not PaymentEvent.objects.filter(idempotency_key__startswith="stripe:").exists()


def test_failed_payment_webhook(client, stripe_order):
    payment = stripe_order.payment
    payload = event(
        "evt_fail_1", "payment_intent.payment_failed", payment.stripe_payment_intent, payment.amount
    )
    response = post(client, payload, sign(payload))
    assert response.json()["outcome"] == "failed"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED


def test_webhook_with_a_wrong_amount_is_not_applied(client, stripe_order):
    payment = stripe_order.payment
    payload = event("evt_short", "payment_intent.succeeded", payment.stripe_payment_intent, 1000)
    response = post(client, payload, sign(payload))
    assert response.json()["outcome"] == "amount_mismatch"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_an_unreachable_stripe_leaves_the_order_and_the_page_retries(settings, client):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port
    order = complete_checkout(checkout_for(three_producers()[:1]).pk, PaymentMethod.STRIPE)
    order.payment.refresh_from_db()
    assert order.payment.stripe_payment_intent == ""
    assert order.payment.status == PaymentStatus.PENDING
    base = os.environ.get("STRIPE_API_BASE", "")
    need(bool(base), "needs stripe-mock for the retry half")
    settings.STRIPE_API_BASE = base
    session = client.session
    session["order_numbers"] = [order.number]
    session.save()
    assert client.get(f"/don-hang/{order.number}/").status_code == 200
    order.payment.refresh_from_db()
    assert order.payment.stripe_payment_intent.startswith("pi_")
