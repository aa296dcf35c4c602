"""The 2025 administrative units: loaded from `vietnam-provinces`, kept in step idempotently."""

import pytest

from marketplace.addresses import units
from marketplace.addresses.models import Province, Ward
from marketplace.addresses.services import sync_admin_units
from tests.marketplace.catalog import sample

pytestmark = pytest.mark.django_db


def test_34_provinces_and_an_giang_with_102_wards():
    assert Province.objects.count() == 34
    an_giang = Province.objects.get(code=units.HOME_PROVINCE_CODE)
    assert an_giang.name == "An Giang"
    assert an_giang.wards.count() == 102
    # No districts any more: every ward hangs directly off its province.
    assert not Ward.objects.filter(province=None).exists()


def test_every_sample_producer_ward_exists_in_an_giang_with_its_name():
    wards = dict(Ward.objects.filter(province_id="91").values_list("code", "name"))
    for producer in sample.producers().values():
        assert wards[producer["ward_code"]] == producer["ward_name"]


def test_codes_are_zero_padded_strings():
    assert units.province_code(1) == "01"
    assert units.province_code("91") == "91"
    assert units.ward_code(4) == "00004"
    assert units.ward_code("30316") == "30316"
    assert all(len(code) == 5 for code in Ward.objects.values_list("code", flat=True)[:500])


def test_sync_is_idempotent_and_repairs_edits():
    ward = Ward.objects.get(code="30316")
    Ward.objects.filter(pk=ward.pk).update(name="Sửa tay")
    provinces, wards = sync_admin_units()
    assert provinces == Province.objects.count() == 34
    assert wards == Ward.objects.count()
    assert Ward.objects.get(code="30316").name == ward.name


@pytest.mark.parametrize(
    ("name", "short"),
    [("Phường Châu Đốc", "Châu Đốc"), ("Xã An Phú", "An Phú"), ("Đặc khu Phú Quốc", "Phú Quốc")],
)
def test_short_and_folded_names(name, short):
    ward = Ward(name=name)
    assert ward.short_name == short
    assert "đ" not in ward.folded_name and ward.folded_name == ward.folded_name.lower()


def test_phu_quoc_is_a_special_zone_of_an_giang():
    ward = Ward.objects.get(name="Đặc khu Phú Quốc")
    assert ward.province_id == "91"
    assert ward.folded_name == "dac khu phu quoc"
