"""Vietnamese phone numbers, stored in one form: +84 followed by the national significant number."""

import re

from django.utils.translation import gettext

from marketplace.addresses.errors import AddressError
from marketplace.errors import DomainError

_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobile: 9 digits after the trunk 0, starting 3/5/7/8/9. Landline: 02 + area code, 10 digits.
_NATIONAL = re.compile(r"^(?:[35789]\d{8}|2\d{9})$")


def normalize_phone(raw: str, field: str = "phone") -> str:
    """'0912 345 678', '84912345678', '+84 912-345-678' → '+84912345678'."""
    digits = _SEPARATORS.sub("", raw or "")
    if digits.startswith("+84"):
        national = digits[3:]
    elif digits.startswith("84") and len(digits) >= 11:
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    if not _NATIONAL.match(national):
        raise DomainError(
            AddressError.INVALID_PHONE,
            gettext("Số điện thoại không hợp lệ: “%(raw)s” (ví dụ 0912 345 678).") % {"raw": raw},
            field,
        )
    return "+84" + national


def display_phone(e164: str) -> str:
    """'+84912345678' → '0912 345 678', how Vietnamese write it."""
    national = "0" + e164.removeprefix("+84")
    return f"{national[:4]} {national[4:7]} {national[7:]}"
