"""Numbers for people (money has its own: marketplace.money): one rounding rule and the decimal
mark of the language.

Rounding is half up, from the exact value: 159/220 = 0.72272… is "72,3 %". A share already
rounded to 4 places (the API's figure) must not be rounded again for display — 160/223 =
0.717488… is stored as 0.7175, which rounds to 71,8 although the share is 71,7 % — so pages and
files pass the exact fraction (`Fraction(online, certified)`). Django's number_format is not
used for this: it cuts the digits off (72,2) instead of rounding.
"""

from decimal import Decimal
from fractions import Fraction

from django.utils.formats import get_format

from marketplace.money import NBSP

PERCENT_PLACES = 1  # "72,3 %" on pages, in charts and in the files


def exact_share(part: int, whole: int) -> Fraction:
    """part / whole exactly; nothing of nothing is 0."""
    return Fraction(part, whole) if whole else Fraction(0)


Number = Fraction | Decimal | float | int


def exact(value: Number) -> Fraction:
    """The value as a fraction; a float is taken as it prints (0.8, not 0.80000000000000004)."""
    return Fraction(Decimal(repr(value))) if isinstance(value, float) else Fraction(value)


def rounded(value: Number, places: int) -> Decimal:
    """`value` rounded half up to `places` decimals."""
    step = Fraction(1, 10**places)
    whole_steps = (exact(value) / step + Fraction(1, 2)).__floor__()  # half up (towards +inf)
    return Decimal(whole_steps).scaleb(-places)


def decimal_text(
    value: Number,
    places: int,
    *,
    decimal_mark: str | None = None,
    strip_zeros: bool = False,
) -> str:
    """'1,5' in Vietnamese, '1.5' in English (the active language's mark unless one is given);
    with strip_zeros, '1,500' becomes '1,5' and '2,000' becomes '2'."""
    text = f"{rounded(value, places):f}"
    if strip_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", decimal_mark or get_format("DECIMAL_SEPARATOR"))


def percent_text(
    share: Number,
    places: int = PERCENT_PLACES,
    *,
    decimal_mark: str | None = None,
    space: str = NBSP,
) -> str:
    """A share (0..1) as people read it: '72,3 %' in Vietnamese, '72.3 %' in English."""
    return f"{decimal_text(exact(share) * 100, places, decimal_mark=decimal_mark)}{space}%"


def share_for_file(share: Number, places: int = PERCENT_PLACES) -> float:
    """The share a spreadsheet cell holds, rounded as the pages show it (0.723 for 72,3 %), so
    Excel's percentage format shows the very same digits."""
    return float(rounded(share, places + 2))
