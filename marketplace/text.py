"""Vietnamese text handling: one place for Unicode normalisation and diacritic folding."""

import re
import unicodedata

from django.utils.text import slugify

_SPACES = re.compile(r"\s+")
# đ/Đ are letters of their own, not d plus a mark: NFD leaves them alone, so fold them by hand.
_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """NFC-normalise and collapse runs of white space; the canonical form we store."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def fold(text: str) -> str:
    """Lower case, no diacritics, đ→d: 'Đặc sản Phú Quốc' → 'dac san phu quoc'."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_D_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def slugify_vi(text: str) -> str:
    """URL slug of Vietnamese text: 'Mắm thái Châu Đốc' → 'mam-thai-chau-doc'."""
    return slugify(fold(text))
