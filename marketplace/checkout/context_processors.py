"""The cart badge in every page's header: one query, only when a template shows it."""

import functools

from django.db.models import Sum

from marketplace.checkout.access import CART_SESSION_KEY
from marketplace.checkout.services.carts import get_cart


def cart(request):
    @functools.cache
    def count() -> int:
        token = request.session.get(CART_SESSION_KEY) if hasattr(request, "session") else None
        user = getattr(request, "user", None)
        if not token and not (user is not None and user.is_authenticated):
            return 0  # no cart yet: no query
        found = get_cart(token, user)
        if found is None:
            return 0
        return found.lines.aggregate(total=Sum("quantity"))["total"] or 0

    return {"cart_count": count}
