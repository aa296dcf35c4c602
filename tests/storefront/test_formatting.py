import pytest

from storefront.templatetags.storefront_tags import grams, star_string, vnd

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0, f"0{NBSP}₫"),
        (1000, f"1.000{NBSP}₫"),
        (125000, f"125.000{NBSP}₫"),
        (1234567, f"1.234.567{NBSP}₫"),
        (215000, f"215.000{NBSP}₫"),
        (1_000_000_000, f"1.000.000.000{NBSP}₫"),
        (-5000, f"-5.000{NBSP}₫"),
        ("93000", f"93.000{NBSP}₫"),
    ],
)
def test_vnd_groups_thousands_with_dots_and_a_non_breaking_space(amount, shown):
    assert vnd(amount) == shown


@pytest.mark.parametrize("nothing", [None, "", "abc"])
def test_vnd_of_nothing_is_empty(nothing):
    assert vnd(nothing) == ""


@pytest.mark.parametrize(
    ("weight", "shown"),
    [(0, ""), (500, f"500{NBSP}g"), (1000, f"1{NBSP}kg"), (1500, f"1,5{NBSP}kg")],
)
def test_net_weight_in_grams_or_kilograms(weight, shown):
    assert grams(weight) == shown


def test_star_string():
    assert star_string(4) == "★★★★"
