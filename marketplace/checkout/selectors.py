"""Reads of carts and orders shared by the storefront, GraphQL and the portal."""

from django.utils.translation import gettext

from marketplace.addresses.phones import normalize_phone
from marketplace.checkout.errors import CheckoutError
from marketplace.checkout.models import Cart, CartLine, Order
from marketplace.errors import DomainError
from marketplace.text import nfc


def cart_lines(cart: Cart) -> list[CartLine]:
    return list(
        cart.lines.select_related(
            "product__producer__ward", "product__stock", "product__product_set"
        ).prefetch_related("product__images")
    )


def find_order(number: str, phone: str) -> Order:
    """Order lookup for shoppers without an account: the number and the phone must both match."""
    not_found = DomainError(
        CheckoutError.NOT_FOUND,
        gettext("Không tìm thấy đơn hàng với số và điện thoại này."),
        "number",
    )
    try:
        e164 = normalize_phone(phone)
    except DomainError:
        raise not_found
    order = Order.objects.filter(number=nfc(number).upper().replace(" ", "")).first()
    if order is None or e164 not in (order.phone, order.address_phone):
        raise not_found
    return order


def order_for_display(number: str) -> Order:
    return (
        Order.objects.select_related("payment", "ward", "province")
        .prefetch_related("sub_orders__producer__ward", "sub_orders__lines")
        .get(number=number)
    )
