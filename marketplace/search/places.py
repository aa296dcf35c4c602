"""Places a shopper may name in a query: today's wards of the home province, and the districts
abolished in 2025 that people still say ("đặc sản Châu Phú", "quà Tri Tôn").

Both come from `vietnamadminunits` (its own SQLite file, so a query costs no database round
trip; read through marketplace.addresses.unit_data); an old district stands for the new wards
its old wards went to. Both are folded like documents, so they match the `place` field.
"""

from functools import cache

from marketplace.addresses import unit_data
from marketplace.addresses.units import HOME_PROVINCE_CODE
from marketplace.text import fold


@cache
def old_districts(province_code: str = HOME_PROVINCE_CODE) -> dict[str, frozenset[str]]:
    """Folded old district name → folded short names of the new wards it went to."""
    units = unit_data.new_units(province_code)
    if not units:
        return {}
    new_province = units[0]["provinceKey"]
    ward_of = {u["wardKey"]: " ".join(fold(u["wardShort"]).split()) for u in units}
    names = {  # districtKey → folded short name
        row["districtKey"]: " ".join(fold(row["districtShort"]).split())
        for row in unit_data.legacy_units(new_province)
    }
    districts: dict[str, set[str]] = {}
    for old, new_keys in unit_data.new_ward_keys_of(new_province).items():
        parts = old.split("_")
        name = names.get(parts[1]) if len(parts) == 3 else None
        if name:
            districts.setdefault(name, set()).update(ward_of[k] for k in new_keys if k in ward_of)
    return {name: frozenset(wards) for name, wards in districts.items() if wards}


@cache
def current_wards(province_code: str = HOME_PROVINCE_CODE) -> frozenset[str]:
    """Folded short names of today's wards (from the package's own data: no database query)."""
    return frozenset(
        " ".join(fold(u["wardShort"]).split()) for u in unit_data.new_units(province_code)
    )


def known_places() -> dict[str, tuple[str, ...]]:
    """Folded place phrase → the other wards it also covers (an old district's new wards)."""
    found = {ward: () for ward in current_wards()}
    for district, wards in old_districts().items():
        found[district] = tuple(sorted(wards - {district}))
    return found
