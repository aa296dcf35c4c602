"""Reads for the account page: order history and saved addresses, in a fixed number of queries."""

from marketplace.accounts.models import Shopper
from marketplace.accounts.services import shopper_orders

HISTORY_SIZE = 50


def order_history(shopper: Shopper) -> list:
    return list(
        shopper_orders(shopper)
        .select_related("payment")
        .prefetch_related("sub_orders__producer", "sub_orders__lines")
        .order_by("-created_at", "-id")[:HISTORY_SIZE]
    )


def saved_addresses(shopper: Shopper) -> list:
    return list(shopper.addresses.select_related("province", "ward"))


def checkout_initial(shopper: Shopper, address_id=None) -> dict | None:
    """The checkout form's initial values from a saved address (the newest by default)."""
    addresses = shopper.addresses.all()
    if address_id:
        addresses = addresses.filter(pk=address_id) if str(address_id).isdigit() else []
    address = addresses.first() if addresses else None
    if address is None:
        return None
    return {
        "full_name": address.full_name,
        "phone": address.phone_display,
        "province_code": address.province_id,
        "ward_code": address.ward_id,
        "street_address": address.street_address,
        "postal_code": address.postal_code,
        "vpostcode": address.vpostcode,
    }
