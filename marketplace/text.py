"""Vietnamese text handling: one place for Unicode normalisation and diacritic folding."""

import re
import threading
import unicodedata

import icu
from django.utils.text import slugify

_SPACES = re.compile(r"\s+")
# Inside a line of multi-line text: every white space but the line break itself.
_LINE_SPACES = re.compile(r"[^\S\n]+")
_BLANK_LINES = re.compile(r"\n{3,}")
# Windows and old Mac line ends, and Unicode's own line/paragraph separators, become "\n".
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x1c-\x1e\x85\u2028\u2029]")
# đ/Đ are letters of their own, not d plus a mark: NFD leaves them alone, so fold them by hand.
_D_TABLE = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """NFC-normalise and collapse runs of white space; the canonical form of one-line fields
    (names, codes, addresses). Multi-line fields use nfc_lines()."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def nfc_lines(text: str) -> str:
    """nfc() for multi-line fields (descriptions, notes, messages): the line breaks stay.

    Line ends become "\n"; each line's runs of white space collapse as nfc() does; at most
    one blank line separates paragraphs.
    """
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", text or ""))
    lines = (_LINE_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def fold(text: str) -> str:
    """Lower case, no diacritics, đ→d: 'Đặc sản Phú Quốc' → 'dac san phu quoc'."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_D_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


def slugify_vi(text: str) -> str:
    """URL slug of Vietnamese text: 'Mắm thái Châu Đốc' → 'mam-thai-chau-doc'."""
    return slugify(fold(text))


_collators = threading.local()


def _vietnamese_collator():
    # A collator is not safe to share between threads while in use: one per thread.
    collator = getattr(_collators, "vi", None)
    if collator is None:
        collator = _collators.vi = icu.Collator.createInstance(icu.Locale("vi"))
    return collator


def vi_sort_key(text: str) -> bytes:
    """Sort key in Vietnamese alphabetical order (ICU's Vietnamese collation, CLDR rules):
    a ă â b c d đ e ê … o ô ơ … u ư …, tones after the letter ('Ô Môn' after 'Óc Eo',
    'Đông' after every 'D…'), case ignored before accents. Use it for every list a person
    scans for a name: wards, producers."""
    return _vietnamese_collator().getSortKey(nfc(text))
