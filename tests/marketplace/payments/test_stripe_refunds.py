"""Stripe refunds through the Refunds API on the real stripe-mock, and refund webhooks."""

import json

import pytest
from django.core.management import call_command

from marketplace.checkout.ledger_check import all_problems
from marketplace.checkout.models import OrderStatus
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import set_sub_order_status
from marketplace.payments import services
from marketplace.payments.models import PaymentMethod, Refund, RefundChannel, RefundStatus
from marketplace.settlements.models import Account, Entry, EntryKind, Posting
from tests.marketplace.checkout.buying import checkout_for, three_producers
from tests.marketplace.payments.refunding import SHIP
from tests.marketplace.payments.test_stripe import post, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_stripe_order(stripe_mock):
    order = complete_checkout(checkout_for(three_producers()[:2]).pk, PaymentMethod.STRIPE)
    order.payment.refresh_from_db()
    assert order.payment.stripe_payment_intent.startswith("pi_")
    services.receive(order.payment, order.total, "stripe:evt_paid")
    return order


def refund_event(event_id: str, refund: Refund, status: str) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": "refund.updated",
            "api_version": "2026-08-26.dahlia",
            "data": {
                "object": {
                    "id": refund.stripe_refund_id or "re_unknown",
                    "object": "refund",
                    "amount": refund.amount,
                    "currency": "vnd",
                    "status": status,
                    "metadata": {"refund_key": refund.key},
                }
            },
        }
    ).encode()


def test_cancel_refunds_through_stripe_once(
    paid_stripe_order, client, mailoutbox, django_capture_on_commit_callbacks
):
    sub = paid_stripe_order.sub_orders.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        set_sub_order_status(sub.pk, OrderStatus.CANCELLED, SHIP)
    refund = Refund.objects.get(sub_order=sub)
    assert refund.channel == RefundChannel.STRIPE
    assert refund.stripe_refund_id.startswith("re_")
    assert refund.status == RefundStatus.SUCCEEDED and refund.amount == sub.total
    legs = Posting.objects.filter(entry__key=f"refund:{refund.pk}").values_list("account", "amount")
    assert sorted(legs) == [
        (Account.SHOPPER_FUNDS, sub.total),
        (Account.STRIPE_BALANCE, -sub.total),
    ]
    # Stripe's webhook about the same refund changes nothing.
    payload = refund_event("evt_refund_1", refund, "succeeded")
    response = post(client, payload, sign(payload))
    assert response.status_code == 200 and response.json()["outcome"] == "duplicate"
    assert Entry.objects.filter(kind=EntryKind.REFUND).count() == 1
    assert all_problems() == []
    # Created (pending) and succeeded: the shopper is told when the money is back.
    assert any("thẻ" in m.body for m in mailoutbox)


def test_stripe_down_at_cancel_then_the_webhook_or_the_retry_completes_it(
    paid_stripe_order, settings, client, stripe_mock, django_capture_on_commit_callbacks
):
    first, second = paid_stripe_order.sub_orders.order_by("pk")
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    with django_capture_on_commit_callbacks(execute=True):
        set_sub_order_status(first.pk, OrderStatus.CANCELLED, SHIP)
        set_sub_order_status(second.pk, OrderStatus.CANCELLED, SHIP)
    waiting = list(Refund.objects.filter(status=RefundStatus.PENDING).order_by("pk"))
    assert len(waiting) == 2 and not Entry.objects.filter(kind=EntryKind.REFUND).exists()
    assert all_problems() == []  # nothing owed is posted before Stripe confirms
    # A failed refund at Stripe is recorded and posts nothing.
    waiting[0].stripe_refund_id = "re_failed_1"
    waiting[0].save()
    payload = refund_event("evt_refund_failed", waiting[0], "failed")
    assert post(client, payload, sign(payload)).json()["outcome"] == "refund_failed"
    # The other is sent again once Stripe answers.
    settings.STRIPE_API_BASE = stripe_mock
    call_command("send_refunds")
    statuses = dict(Refund.objects.values_list("pk", "status"))
    assert statuses == {waiting[0].pk: RefundStatus.FAILED, waiting[1].pk: RefundStatus.SUCCEEDED}
    assert Entry.objects.filter(kind=EntryKind.REFUND).count() == 1
    assert all_problems() == []
