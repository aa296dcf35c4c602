"""The buyer proof of a request: the orders its session was granted (checkout, lookup) and the
signed-in shopper's verified phone. Pages and the API build it the same way."""

from django.middleware.csrf import CsrfViewMiddleware

from marketplace.accounts.session import verified_phone
from marketplace.checkout import access
from marketplace.reviews.services import Buyer


def buyer_of(request, *, check_csrf: bool = False) -> Buyer:
    """`check_csrf`: for /graphql/ (csrf-exempt for scripts), a session only proves anything
    when the request passes Django's CSRF check, so a forged cross-site POST proves nothing."""
    if check_csrf and CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {}):
        return Buyer()
    return Buyer(order_numbers=access.granted(request), phone=verified_phone(request))
