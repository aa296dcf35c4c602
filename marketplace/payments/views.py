"""Stripe's webhook: signed by Stripe, applied once per event id."""

import logging

import stripe
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.ratelimit import limit_exempt
from marketplace.access import public
from marketplace.errors import DomainError
from marketplace.payments import services, stripe_gateway

log = logging.getLogger(__name__)


@limit_exempt("Stripe signs each event; unsigned requests are refused before any work")
@csrf_exempt  # Stripe cannot send a CSRF token; the signature authenticates the request.
@require_POST
@public("Stripe signs each event; unsigned requests are refused")
def stripe_webhook(request):
    try:
        event = stripe_gateway.verify_event(
            request.body, request.headers.get("Stripe-Signature", "")
        )
    except (ValueError, stripe.SignatureVerificationError) as exc:
        log.warning("rejected Stripe webhook: %s", exc)
        return HttpResponse("invalid signature", status=400)
    try:
        outcome = services.handle_stripe_event(event)
    except DomainError as exc:
        log.error("Stripe event %s not applied: %s", event.id, exc.message)
        outcome = exc.code.lower()
    return JsonResponse({"received": True, "outcome": outcome})
