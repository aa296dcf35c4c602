"""Places a shopper may name in a query: today's wards of the home province, and the districts
abolished in 2025 that people still say ("đặc sản Châu Phú", "quà Tri Tôn").

Both come from `vietnamadminunits` (its own SQLite file, so a query costs no database round
trip); an old district stands for the new wards its old wards went to. Both are folded like
documents, so they match the `place` field.
"""

from functools import cache

from marketplace.addresses.units import HOME_PROVINCE_CODE
from marketplace.text import fold


@cache
def old_districts(province_code: str = HOME_PROVINCE_CODE) -> dict[str, frozenset[str]]:
    """Folded old district name → folded short names of the new wards it went to."""
    from vietnamadminunits.converter import converter_2025 as conv
    from vietnamadminunits.database import query

    units = query(
        "SELECT provinceKey, wardKey, wardShort FROM admin_units "
        f"WHERE provinceCode = '{int(province_code):02d}'"
    )
    if not units:
        return {}
    new_province = units[0]["provinceKey"]
    ward_of = {u["wardKey"]: " ".join(fold(u["wardShort"]).split()) for u in units}
    new_of_old: dict[str, set[str]] = {}
    for new_key, olds in conv.DICT_PROVINCE_WARD_NO_DIVIDED.get(new_province, {}).items():
        for old in olds:
            new_of_old.setdefault(old, set()).add(new_key)
    for old, parts in conv.DICT_PROVINCE_WARD_DIVIDED.get(new_province, {}).items():
        new_of_old.setdefault(old, set()).update(p["newWardKey"] for p in parts)
    names: dict[str, str] = {}  # districtKey → folded short name
    for province in conv.DICT_PROVINCE.get(new_province, []):
        if not province.isalpha():
            continue
        for row in query(
            "SELECT DISTINCT districtKey, districtShort FROM admin_units_legacy "
            f"WHERE provinceKey = '{province}'"
        ):
            names[row["districtKey"]] = " ".join(fold(row["districtShort"]).split())
    districts: dict[str, set[str]] = {}
    for old, new_keys in new_of_old.items():
        parts = old.split("_")
        name = names.get(parts[1]) if len(parts) == 3 else None
        if name:
            districts.setdefault(name, set()).update(ward_of[k] for k in new_keys if k in ward_of)
    return {name: frozenset(wards) for name, wards in districts.items() if wards}


@cache
def current_wards(province_code: str = HOME_PROVINCE_CODE) -> frozenset[str]:
    """Folded short names of today's wards (from the package's own data: no database query)."""
    from vietnamadminunits.database import query

    return frozenset(
        " ".join(fold(u["wardShort"]).split())
        for u in query(
            f"SELECT wardShort FROM admin_units WHERE provinceCode = '{int(province_code):02d}'"
        )
    )


def known_places() -> dict[str, tuple[str, ...]]:
    """Folded place phrase → the other wards it also covers (an old district's new wards)."""
    found = {ward: () for ward in current_wards()}
    for district, wards in old_districts().items():
        found[district] = tuple(sorted(wards - {district}))
    return found
