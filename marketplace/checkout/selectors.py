"""Reads of carts and orders shared by the storefront, GraphQL and the portal."""

from django.db.models import Prefetch
from django.utils.translation import gettext

from marketplace.addresses.phones import normalize_phone
from marketplace.checkout.errors import CheckoutError
from marketplace.checkout.models import Cart, CartLine, Order, Return, ReturnStatus, SubOrder
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
    """The order page's order: its parts with their lines, refunds and return, in a fixed
    number of queries however many there are."""
    return (
        Order.objects.select_related("payment__refund_account", "ward", "province")
        .prefetch_related(
            Prefetch(
                "sub_orders",
                queryset=SubOrder.objects.select_related(
                    "producer__ward", "return_request__decided_by"
                ),
            ),
            "sub_orders__lines",
            "sub_orders__refunds",
            "sub_orders__return_request__items",
        )
        .get(number=number)
    )


def disputed_returns():
    """Returns the producer disputed, for staff to decide, oldest first."""
    return (
        Return.objects.filter(status=ReturnStatus.DISPUTED)
        .select_related("sub_order__order", "sub_order__producer")
        .prefetch_related("sub_order__lines", "items__line")
        .order_by("created_at", "id")
    )
