"""The official Stripe client, configured once: key, API version pinned, optional base URL.

STRIPE_API_BASE points the client at stripe-mock in tests and CI.
"""

import stripe
from django.conf import settings


def client() -> stripe.StripeClient:
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else {}
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        stripe_version=settings.STRIPE_API_VERSION,
        base_addresses=base,
        max_network_retries=2,
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


def verify_event(payload: bytes, signature: str) -> stripe.Event:
    """Raises stripe.SignatureVerificationError for a forged, altered or stale request."""
    return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
