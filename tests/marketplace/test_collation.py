"""Lists a person scans for a name (wards, producers) are in Vietnamese alphabetical order:
a ă â … d đ … o ô ơ … u ư, tones after the bare letter, not byte order (Ô, Đ after z)."""

import random
import re
import unicodedata

import pytest
from django.db.models import Q

from marketplace.addresses.models import Province, Ward
from marketplace.catalog.models import Product
from marketplace.checkout.forms import CheckoutForm
from marketplace.text import fold, vi_sort_key
from producers import onboarding
from storefront import selectors
from tests.marketplace.coverage.conftest import sample_register  # noqa: F401

# As a Vietnamese dictionary lists them.
DICTIONARY_ORDER = [
    "An Phú",
    "Anh Dũng",
    "Ăn Quán",
    "Ấp Bắc",
    "Dung",
    "Dương",
    "Đà Nẵng",
    "Đông Hải",
    "Giang Thành",
    "Oanh",
    "Óc Eo",
    "Ô Lâm",
    "Ô Môn",
    "Ông Văn",
    "Ơn",
    "Tịnh Biên",
    "Tri Tôn",
    "U Minh",
    "Ư",
]


def test_vietnamese_order_of_letters_and_tones():
    shuffled = DICTIONARY_ORDER[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=vi_sort_key) == DICTIONARY_ORDER
    # The folding sort it replaces put Đ among the D's and Ô among the O's.
    assert sorted(DICTIONARY_ORDER, key=fold) != DICTIONARY_ORDER


def test_tones_order_after_the_bare_letter_and_forms_do_not_matter():
    assert sorted(["Ó", "Ọ", "O", "Ỏ", "Ò", "Õ"], key=vi_sort_key) == ["O", "Ò", "Ỏ", "Õ", "Ó", "Ọ"]
    decomposed = unicodedata.normalize("NFD", "Ô Môn")
    assert vi_sort_key(decomposed) == vi_sort_key("Ô Môn") == vi_sort_key("  Ô  Môn ")
    assert vi_sort_key("an phú") < vi_sort_key("An Phú") < vi_sort_key("Anh")


@pytest.mark.django_db
def test_storefront_places_are_in_vietnamese_order():
    names = [ward.short_name for ward in selectors.places()]
    assert len(names) > 5
    assert names == sorted(names, key=vi_sort_key)


@pytest.mark.django_db
def test_checkout_ward_and_province_choices_are_in_vietnamese_order():
    form = CheckoutForm(province_code="91")
    wards = Ward.objects.in_bulk([code for code, _ in form.fields["ward_code"].choices[1:]])
    short = [wards[code].short_name for code, _ in form.fields["ward_code"].choices[1:]]
    assert len(short) == Ward.objects.filter(province_id="91").count() > 50
    assert short == sorted(short, key=vi_sort_key)
    # Đ after every C (and D), before G; Ó then Ô right after the last N, before P.
    assert short.index("Cù Lao Giêng") < short.index("Định Hòa") < short.index("Giang Thành")
    assert short.index("Núi Cấm") + 1 == short.index("Óc Eo") == short.index("Ô Lâm") - 1
    assert short.index("Ô Lâm") + 1 == short.index("Phú An")
    provinces = Province.objects.in_bulk()
    names = [provinces[code].short_name for code, _ in form.fields["province_code"].choices[1:]]
    assert names == sorted(names, key=vi_sort_key) and names.index("Đà Nẵng") > names.index(
        "Cà Mau"
    )


@pytest.mark.django_db
def test_the_product_pages_province_list_is_in_vietnamese_order(client):
    product = Product.objects.published().filter(net_weight_g__gt=0).order_by("sku").first()
    page = client.get(f"/san-pham/{product.slug}/").content.decode()
    listed = re.findall(r'<option value="(\d{2})"', page.split('id="tinh"', 1)[1])
    provinces = Province.objects.in_bulk()
    names = [provinces[code].short_name for code in listed]
    assert len(names) == len(provinces) and names == sorted(names, key=vi_sort_key)
    # Đ right after the C's, not after every other letter.
    assert names.index("Cao Bằng") < names.index("Đắk Lắk") < names.index("Gia Lai")


@pytest.mark.django_db
@pytest.mark.usefixtures("sample_register")
def test_the_offices_call_list_is_by_ward_then_producer_in_vietnamese_order():
    rows = onboarding.in_calling_order(onboarding.call_list())
    assert len(rows) > 3
    keys = [(vi_sort_key(p.ward.short_name), vi_sort_key(p.name)) for p in rows]
    assert keys == sorted(keys)


@pytest.mark.django_db
def test_no_unit_name_has_double_or_outer_spaces():
    """The vietnam-provinces package spells some wards 'Xã  Xuân Giang'; stored names are clean."""
    bad = Q(name__contains="  ") | Q(name__startswith=" ") | Q(name__endswith=" ")
    assert not Ward.objects.filter(bad).exists()
    assert not Province.objects.filter(bad).exists()
    assert Ward.objects.filter(name="Xã Xuân Giang").exists()
