"""GS1 GTIN check digits (GTIN-8/12/13/14), used by the catalog and the Digital Link resolver."""

from django.utils.translation import gettext


class InvalidGtin(ValueError):
    pass


def check_digit(body: str) -> int:
    """GS1 mod-10: weights 3,1,3,… from the right of the body (the digits before the check)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid(gtin: str) -> bool:
    if not gtin.isascii() or not gtin.isdigit() or len(gtin) not in (8, 12, 13, 14):
        return False
    return check_digit(gtin[:-1]) == int(gtin[-1])


def validate_gtin13(gtin: str) -> str:
    gtin = (gtin or "").strip()
    if not (gtin.isascii() and gtin.isdigit() and len(gtin) == 13):
        raise InvalidGtin(
            gettext("GTIN-13 phải gồm đúng 13 chữ số (nhận được '%(gtin)s').") % {"gtin": gtin}
        )
    if not is_valid(gtin):
        raise InvalidGtin(
            gettext("GTIN '%(gtin)s' sai số kiểm tra: phải là %(check_digit)s.")
            % {"gtin": gtin, "check_digit": check_digit(gtin[:-1])}
        )
    return gtin


def to_gtin14(gtin: str) -> str:
    """Any valid GTIN as the 14-digit form used in GS1 Digital Link URIs."""
    if not is_valid(gtin):
        raise InvalidGtin(gettext("GTIN '%(gtin)s' không hợp lệ.") % {"gtin": gtin})
    return gtin.zfill(14)
