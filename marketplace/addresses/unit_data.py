"""Everything the project reads from the `vietnamadminunits` package, read one way: its unit
lists through its `get_data` (the package's own SQLite file: no database round trip, no SQL
written here) and its 2025 conversion tables, each loaded once and filtered in Python.

Readers: old→new address conversion (conversion.py), ward centres (centres.py), the register's
ward resolver (coverage.wards) and the place names a search understands (search.places).
"""

from functools import cache

from vietnamadminunits.converter import converter_2025
from vietnamadminunits.database import get_data

_NEW_FIELDS = ["provinceCode", "provinceKey", "wardCode", "wardKey", "ward", "wardShort"]
_LEGACY_FIELDS = ["provinceKey", "districtKey", "districtShort", "wardKey", "wardShortKey"]


@cache
def all_new_units() -> tuple[dict, ...]:
    """Every ward since 1 July 2025, with its centre (wardLat, wardLon)."""
    return tuple(get_data([*_NEW_FIELDS, "wardLat", "wardLon"], "admin_units"))


def new_units(province_code: str) -> list[dict]:
    """Today's wards of one province."""
    code = f"{int(province_code):02d}"
    return [unit for unit in all_new_units() if unit["provinceCode"] == code]


@cache
def _legacy_units() -> tuple[dict, ...]:
    return tuple(get_data(_LEGACY_FIELDS, "admin_units_legacy"))


def legacy_units(new_province_key: str) -> list[dict]:
    """The wards before 1 July 2025 of the old provinces that became this one."""
    old_provinces = set(tables()["DICT_PROVINCE"].get(new_province_key, []))
    return [unit for unit in _legacy_units() if unit["provinceKey"] in old_provinces]


def tables() -> dict:
    """The package's conversion tables: DICT_PROVINCE (new province key → old ones),
    DICT_PROVINCE_WARD_NO_DIVIDED (new ward key → the old wards kept whole in it) and
    DICT_PROVINCE_WARD_DIVIDED (old ward key → the parts it was split into)."""
    return converter_2025.converter_data


@cache
def new_ward_keys_of(new_province_key: str) -> dict[str, frozenset[str]]:
    """Old ward key ('province_district_ward') → the keys of the new wards it went to, whole
    or split."""
    found: dict[str, set[str]] = {}
    whole = tables()["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_province_key, {})
    for new_key, old_keys in whole.items():
        for old_key in old_keys:
            found.setdefault(old_key, set()).add(new_key)
    split = tables()["DICT_PROVINCE_WARD_DIVIDED"].get(new_province_key, {})
    for old_key, parts in split.items():
        found.setdefault(old_key, set()).update(part["newWardKey"] for part in parts)
    return {old_key: frozenset(keys) for old_key, keys in found.items()}
