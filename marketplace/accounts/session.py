"""The signed-in shopper of a request: a shopper id in the session, nothing in request.user.

Signing in rotates the session key (no fixation) and keeps the cart and order grants; signing
out forgets the whole session.
"""

from marketplace.accounts.models import Shopper

SESSION_KEY = "shopper_id"


def current_shopper(request) -> Shopper | None:
    if not hasattr(request, "_shopper"):
        pk = request.session.get(SESSION_KEY)
        request._shopper = Shopper.objects.filter(pk=pk, verified_at__isnull=False).first()
    return request._shopper


def verified_phone(request) -> str | None:
    shopper = current_shopper(request) if SESSION_KEY in request.session else None
    return shopper.phone if shopper else None


def sign_in(request, shopper: Shopper) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = shopper.pk
    request._shopper = shopper


def sign_out(request) -> None:
    """Forget everything this browser held (shopper, the orders linked at sign-in, the cart):
    on a shared phone the next person sees none of it."""
    request.session.flush()
    request._shopper = None
