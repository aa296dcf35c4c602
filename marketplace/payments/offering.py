"""Which payment methods the shop offers right now, and the bank behind the VietQR account.

A method is offered only when it can work: cash on delivery always; VietQR when a bank BIN and
an account are set; Stripe only with real keys, or with STRIPE_API_BASE pointing at another
Stripe API (stripe-mock in tests and CI). The placeholder keys that ship in settings would
otherwise show a card option whose every call fails.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext
from vietnam_qr_pay.constants.banks import BanksObject

from marketplace.errors import DomainError
from marketplace.payments.errors import PaymentError
from marketplace.payments.models import PaymentMethod

# The publicly documented stripe-mock keys (see config/checks.py): not an account.
_PLACEHOLDER_STRIPE_KEYS = {"", "sk_test_123", "pk_test_123"}


def stripe_configured() -> bool:
    if settings.STRIPE_API_BASE:
        return bool(settings.STRIPE_SECRET_KEY)
    return (
        settings.STRIPE_SECRET_KEY not in _PLACEHOLDER_STRIPE_KEYS
        and settings.STRIPE_PUBLISHABLE_KEY not in _PLACEHOLDER_STRIPE_KEYS
    )


def vietqr_configured() -> bool:
    return bool(settings.VIETQR_BANK_BIN and settings.VIETQR_ACCOUNT_NUMBER)


def offered_methods() -> list[str]:
    """In the order the checkout lists them."""
    offered = [PaymentMethod.COD]
    if vietqr_configured():
        offered.append(PaymentMethod.VIETQR)
    if stripe_configured():
        offered.append(PaymentMethod.STRIPE)
    return offered


def require_offered(method: str) -> None:
    if method not in offered_methods():
        raise DomainError(
            PaymentError.PAYMENT_UNAVAILABLE,
            gettext("Cách thanh toán này hiện không dùng được; hãy chọn cách khác."),
            "payment_method",
        )


@dataclass(frozen=True)
class BankInfo:
    bin: str
    short_name: str
    name: str


_BANKS_BY_BIN = {bank.bin: bank for bank in BanksObject.values() if not bank.deprecated}


def bank_for_bin(bank_bin: str) -> BankInfo | None:
    """The bank a NAPAS BIN belongs to, from vietnam-qr-pay's bank list (None if unknown)."""
    bank = _BANKS_BY_BIN.get(bank_bin)
    if bank is None:
        return None
    return BankInfo(bank.bin, bank.short_name, bank.name)


def banks() -> list[BankInfo]:
    """The banks a shopper may name for a refund, by short name (as banking apps list them)."""
    return sorted(
        (BankInfo(bank.bin, bank.short_name, bank.name) for bank in _BANKS_BY_BIN.values()),
        key=lambda bank: bank.short_name.lower(),
    )
