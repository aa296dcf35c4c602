"""One rounding rule for the numbers people read (marketplace.numbers): half up, once, from the
exact value, with the language's decimal mark."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from marketplace.numbers import NBSP, decimal_text, percent_text, rounded, share_for_file
from storefront.templatetags.storefront_tags import grams


@pytest.mark.parametrize(
    ("share", "vi", "en"),
    [
        (Fraction(159, 220), "72,3", "72.3"),  # 72.2727…: Django's number_format cuts to 72,2
        (Fraction(160, 223), "71,7", "71.7"),  # 71.7488…: the API's 0.7175 would round to 71,8
        (Fraction(1, 16), "6,3", "6.3"),  # 6.25: a half goes up
        (Fraction(0), "0,0", "0.0"),
        (Fraction(1), "100,0", "100.0"),
    ],
)
def test_percent_is_rounded_half_up_with_the_languages_decimal_mark(share, vi, en):
    with translation.override("vi"):
        assert percent_text(share) == f"{vi}{NBSP}%"
    with translation.override("en"):
        assert percent_text(share) == f"{en}{NBSP}%"


def test_the_mark_and_space_can_be_chosen_for_files():
    assert percent_text(Fraction(159, 220), decimal_mark=",", space="") == "72,3%"
    assert percent_text(0.8, 0, decimal_mark=".") == f"80{NBSP}%"


def test_a_file_holds_the_share_as_the_page_rounds_it():
    assert share_for_file(Fraction(159, 220)) == 0.723
    assert share_for_file(Fraction(160, 223)) == 0.717


def test_floats_are_taken_as_they_print():
    assert rounded(0.125, 2) == Decimal("0.13")  # binary 0.125 is exact; 2.675 is not, but…
    assert rounded(2.675, 2) == Decimal("2.68")  # …is read as written, not as 2.67499…


def test_decimal_text_strips_zeros_on_request():
    with translation.override("vi"):
        assert decimal_text(1.5, 3, strip_zeros=True) == "1,5"
        assert decimal_text(2, 3, strip_zeros=True) == "2"
        assert decimal_text(2, 3) == "2,000"


def test_net_weights_use_the_same_formatter():
    with translation.override("vi"):
        assert grams(1500) == f"1,5{NBSP}kg"
        assert grams(1250) == f"1,25{NBSP}kg"
