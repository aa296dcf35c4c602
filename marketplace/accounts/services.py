"""Shopper accounts: sign in with an SMS code, saved addresses, reorder.

Codes reuse producers.onetime (keyed hash, 10 minutes, 5 tries per code, 3 codes an hour per
phone). Buying never needs an account; signing in only adds a history and prefilled addresses.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.accounts.errors import AccountError
from marketplace.accounts.models import SavedAddress, Shopper, ShopperCode
from marketplace.addresses.phones import normalize_phone
from marketplace.checkout import services as checkout
from marketplace.errors import DomainError
from marketplace.notify.sms import send_sms
from producers import onetime

MAX_ADDRESSES = 10


def request_code(phone: str) -> None:
    """Text a sign-in code to `phone` (any usual spelling); INVALID_PHONE if not Vietnamese.

    Over the phone's hourly limit nothing is sent and the answer is the same.
    """
    e164 = normalize_phone(phone)
    shopper, _created = Shopper.objects.get_or_create(phone=e164)
    code = onetime.issue_code(Shopper.objects.filter(pk=shopper.pk), shopper.codes)
    if code is None:
        return
    minutes = int(onetime.CODE_LIFETIME.total_seconds() // 60)
    send_sms(
        e164,
        f"Chợ OCOP An Giang: mã đăng nhập của bạn là {code}. "
        f"Mã hết hạn sau {minutes} phút. Đừng đưa mã này cho ai.",
    )


def sign_in(phone: str, code: str) -> Shopper:
    """The shopper whose live code this is (the phone is now verified); every try counts."""
    try:
        e164 = normalize_phone(phone)
    except DomainError:
        raise onetime.code_expired()
    shopper = Shopper.objects.filter(phone=e164).first()
    if shopper is None:
        raise onetime.code_expired()
    live = onetime.try_code(shopper.codes.all(), code)
    with transaction.atomic():
        live = ShopperCode.objects.select_for_update().get(pk=live.pk)
        if live.used_at is not None:  # spent by a parallel try
            raise onetime.code_expired()
        now = timezone.now()
        live.used_at = now
        live.save(update_fields=["used_at"])
        if shopper.verified_at is None:
            shopper.verified_at = now
            shopper.save(update_fields=["verified_at"])
    return shopper


def remember_address(shopper: Shopper, order) -> SavedAddress | None:
    """Keep the address of an order the shopper placed (once; at most MAX_ADDRESSES)."""
    values = order.shipping_address()
    with transaction.atomic():
        Shopper.objects.select_for_update().filter(pk=shopper.pk).first()
        existing = shopper.addresses.filter(**values).first()
        if existing is not None:
            return existing
        if shopper.addresses.count() >= MAX_ADDRESSES:
            return None
        return SavedAddress.objects.create(shopper=shopper, **values)


def delete_address(shopper: Shopper, address_id) -> None:
    deleted, _rows = shopper.addresses.filter(pk=address_id).delete()
    if not deleted:
        raise DomainError(AccountError.NOT_FOUND, gettext("Không tìm thấy địa chỉ."), "address_id")


@dataclass
class ReorderResult:
    added: list[str]  # product names put back in the cart
    skipped: list[str]  # "name: reason", for lines that are no longer sold or out of stock


def reorder(shopper: Shopper, number: str, cart) -> ReorderResult:
    """Put an earlier order's items back in `cart`, as many as are still sold and in stock."""
    order = (
        shopper_orders(shopper).filter(number=number).prefetch_related("sub_orders__lines").first()
    )
    if order is None:
        raise DomainError(AccountError.NOT_FOUND, gettext("Không tìm thấy đơn hàng."), "number")
    result = ReorderResult(added=[], skipped=[])
    for sub in order.sub_orders.all():
        for line in sub.lines.all():
            try:
                # The cart service checks status, stock and quantity, as for any shopper.
                with transaction.atomic():
                    checkout.add_to_cart(cart, line.sku, line.quantity)
            except DomainError as exc:
                result.skipped.append(f"{line.name}: {exc.message}")
            else:
                result.added.append(line.name)
    return result


def shopper_orders(shopper: Shopper):
    """The orders placed with the shopper's verified phone (Order.phone is indexed)."""
    from marketplace.checkout.models import Order

    return Order.objects.filter(phone=shopper.phone)
