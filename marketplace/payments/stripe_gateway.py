"""The official Stripe client, configured once: key, API version pinned, optional base URL.

STRIPE_API_BASE points the client at stripe-mock in tests and CI. Every call is bounded: a
connect/read timeout (STRIPE_TIMEOUT) and a few retries with backoff (STRIPE_MAX_NETWORK_RETRIES,
sent with the same idempotency key, so a retry never makes a second PaymentIntent).
"""

import functools

import stripe
from django.conf import settings


@functools.lru_cache(maxsize=8)
def _client(key: str, version: str, base: str, timeout: float, retries: int):
    return stripe.StripeClient(
        key,
        stripe_version=version,
        base_addresses={"api": base} if base else {},
        max_network_retries=retries,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


def client() -> stripe.StripeClient:
    return _client(
        settings.STRIPE_SECRET_KEY,
        settings.STRIPE_API_VERSION,
        settings.STRIPE_API_BASE or "",
        settings.STRIPE_TIMEOUT,
        settings.STRIPE_MAX_NETWORK_RETRIES,
    )


def create_payment_intent(amount_vnd: int, order_number: str) -> stripe.PaymentIntent:
    """VND is zero-decimal at Stripe: the amount is whole đồng, never multiplied by 100."""
    return client().v1.payment_intents.create(
        params={
            "amount": amount_vnd,
            "currency": "vnd",
            "metadata": {"order_number": order_number},
            "description": f"Đơn hàng {order_number}",
        },
        options={"idempotency_key": f"order-{order_number}"},
    )


def create_refund(payment_intent: str, amount_vnd: int, key: str) -> stripe.Refund:
    """A refund of part or all of a PaymentIntent; `key` (the refund's own) makes a retry the
    same refund at Stripe."""
    return client().v1.refunds.create(
        params={
            "payment_intent": payment_intent,
            "amount": amount_vnd,
            "metadata": {"refund_key": key},
        },
        options={"idempotency_key": f"refund-{key}"},
    )


def verify_event(payload: bytes, signature: str) -> stripe.Event:
    """Raises stripe.SignatureVerificationError for a forged, altered or stale request."""
    return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
