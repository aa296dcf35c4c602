"""Vietnamese text handling: NFC, folding (đ included) and slugs."""

import unicodedata

import pytest

from marketplace.text import fold, nfc, slugify_vi


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đặc sản Phú Quốc", "dac san phu quoc"),
        ("đường thốt nốt", "duong thot not"),
        ("ĐƯỜNG THỐT NỐT", "duong thot not"),
        (nfd("Đặc sản Phú Quốc"), "dac san phu quoc"),
        ("  Đặc   sản\tPhú\nQuốc  ", "dac san phu quoc"),
        ("Khô cá lóc Châu Đốc", "kho ca loc chau doc"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Mắm thái Châu Đốc", "mam-thai-chau-doc"),
        (nfd("Mắm thái Châu Đốc"), "mam-thai-chau-doc"),
        ("MẮM THÁI CHÂU ĐỐC", "mam-thai-chau-doc"),
        ("  Mắm  thái  Châu Đốc ", "mam-thai-chau-doc"),
        ("Nước mắm Phú Quốc (40°N)", "nuoc-mam-phu-quoc-40n"),
        ("Gạo ST25 – Đồng Tháp Mười", "gao-st25-dong-thap-muoi"),
    ],
)
def test_slugify_vi(text, slug):
    assert slugify_vi(text) == slug


def test_nfc_composes_and_collapses_spaces():
    decomposed = nfd("  Mắm   thái ")
    assert decomposed != "Mắm thái"
    assert nfc(decomposed) == "Mắm thái"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))
    assert nfc(None) == ""


def test_fold_matches_across_spellings():
    """A shopper typing without accents finds a name stored with them, in any Unicode form."""
    stored = "Đặc sản Phú Quốc"
    for typed in ("dac san phu quoc", "DAC SAN PHU QUOC", nfd(stored), stored.upper()):
        assert fold(typed) == fold(stored)
