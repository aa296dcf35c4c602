"""GS1 check digits and the GTIN-13 → GTIN-14 form used by Digital Link URIs."""

import pytest

from marketplace.catalog import gtin

VALID = [
    "8933810630018",  # sample catalog, GS1 Vietnam prefix 893
    "8931258000011",
    "4006381333931",  # EAN-13
    "036000291452",  # UPC-A (GTIN-12)
    "96385074",  # EAN-8
    "00012345600012",  # GTIN-14
]


@pytest.mark.parametrize("code", VALID)
def test_valid_gtins(code):
    assert gtin.is_valid(code)
    assert gtin.check_digit(code[:-1]) == int(code[-1])


@pytest.mark.parametrize("code", VALID)
def test_every_other_check_digit_is_wrong(code):
    for digit in "0123456789":
        if digit != code[-1]:
            assert not gtin.is_valid(code[:-1] + digit)


@pytest.mark.parametrize(
    "code",
    [
        "893381063001",  # GTIN-13 missing a digit: 12 digits fail their own check
        "89338106300188",
        "893381063",
        "",
        "893381063001X",
        "89338106 0018",
        "８９３３８１０６３００１８",  # full-width digits are digits to Python, not to GS1
        "-893381063001",
    ],
)
def test_invalid_gtins(code):
    assert not gtin.is_valid(code)


def test_validate_gtin13_accepts_and_strips():
    assert gtin.validate_gtin13(" 8933810630018 ") == "8933810630018"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("8933810630017", "phải là 8"),
        ("036000291452", "13 chữ số"),
        ("89338106300A8", "13 chữ số"),
        ("", "13 chữ số"),
    ],
)
def test_validate_gtin13_explains_the_error(code, message):
    with pytest.raises(gtin.InvalidGtin, match=message):
        gtin.validate_gtin13(code)


@pytest.mark.parametrize(
    ("code", "gtin14"),
    [
        ("8933810630018", "08933810630018"),
        ("036000291452", "00036000291452"),
        ("96385074", "00000096385074"),
        ("00012345600012", "00012345600012"),
    ],
)
def test_to_gtin14(code, gtin14):
    assert gtin.to_gtin14(code) == gtin14
    assert gtin.is_valid(gtin14)


@pytest.mark.parametrize("code", ["8933810630017", "12345", "abc"])
def test_to_gtin14_refuses_invalid(code):
    with pytest.raises(gtin.InvalidGtin):
        gtin.to_gtin14(code)
