"""Lists of administrative units as a Vietnamese reader scans them: alphabetical by the name
without its "Tỉnh"/"Xã" prefix, in Vietnamese collation ("Đắk Lắk" after "Cà Mau", not last)."""

from marketplace.addresses.models import Province, Ward
from marketplace.text import vi_sort_key


def _by_short_name(unit) -> bytes:
    return vi_sort_key(unit.short_name)  # "Xã Ô Lâm" under Ô, after "Óc Eo"


def provinces() -> list[Province]:
    return sorted(Province.objects.all(), key=_by_short_name)


def wards_of(province_code: str) -> list[Ward]:
    return sorted(Ward.objects.filter(province_id=province_code), key=_by_short_name)
