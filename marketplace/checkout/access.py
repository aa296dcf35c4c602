"""What a browser holds without a password: its cart, and the orders it may see (the ones it
placed or looked up). The order page, reviews and shopper accounts read the same grant.
"""

from marketplace.checkout.services import carts as services

CART_SESSION_KEY = "cart_token"

ORDERS_SESSION_KEY = "order_numbers"
MAX_GRANTS = 20


def grant(request, number: str) -> None:
    numbers = request.session.get(ORDERS_SESSION_KEY, [])
    if number not in numbers:
        request.session[ORDERS_SESSION_KEY] = [*numbers[-(MAX_GRANTS - 1) :], number]


def granted(request) -> frozenset[str]:
    return frozenset(request.session.get(ORDERS_SESSION_KEY, []))


def session_cart(request, create=False):
    cart = services.get_cart(request.session.get(CART_SESSION_KEY), request.user, create=create)
    if cart is not None:
        request.session[CART_SESSION_KEY] = str(cart.token)
    return cart
