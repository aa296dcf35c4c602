"""Buying, one room a step: carts, checkout, complete (into an order), orders (after it).

New code imports from the room it needs. The names below keep `from marketplace.checkout import
services` working for callers written before the split (the storefront's and accounts' code);
the reads among them live in marketplace.checkout.selectors.
"""

from marketplace.checkout.selectors import cart_lines, find_order, order_for_display
from marketplace.checkout.services.carts import (
    MAX_QUANTITY,
    add_to_cart,
    get_cart,
    remove_from_cart,
    set_cart_quantity,
)
from marketplace.checkout.services.checkout import (
    CHECKOUT_LIFETIME,
    LineRequest,
    ProducerPart,
    checkout_expired,
    create_checkout,
    get_checkout,
    plan_parts,
)
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import (
    Fulfilment,
    order_status_from,
    set_sub_order_status,
)

__all__ = [
    "CHECKOUT_LIFETIME",
    "MAX_QUANTITY",
    "Fulfilment",
    "LineRequest",
    "ProducerPart",
    "add_to_cart",
    "cart_lines",
    "checkout_expired",
    "complete_checkout",
    "create_checkout",
    "find_order",
    "get_cart",
    "get_checkout",
    "order_for_display",
    "order_status_from",
    "plan_parts",
    "remove_from_cart",
    "set_cart_quantity",
    "set_sub_order_status",
]
