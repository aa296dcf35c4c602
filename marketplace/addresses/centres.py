"""Ward centres (latitude, longitude), read offline from the `vietnamadminunits` dataset
(through unit_data).

Used for a VPostcode when the shopper drops no map pin, and to decode one back. A few ward codes
differ between that dataset and `vietnam-provinces`; those are matched by name in the province.
"""

from functools import cache

from marketplace.addresses import unit_data
from marketplace.text import fold


@cache
def _rows() -> list[tuple[str, str, str, float, float]]:
    return [
        (u["provinceCode"], u["wardCode"], u["ward"], u["wardLat"], u["wardLon"])
        for u in unit_data.all_new_units()
    ]


@cache
def _by_code() -> dict[str, tuple[float, float]]:
    return {code: (lat, lon) for _, code, _, lat, lon in _rows()}


@cache
def _by_name() -> dict[tuple[str, str], tuple[float, float]]:
    return {(province, fold(name)): (lat, lon) for province, _, name, lat, lon in _rows()}


@cache
def province_centres(province_code: str) -> tuple[tuple[float, float], ...]:
    """Every ward centre of a province: the places a VPostcode of that province lies near."""
    return tuple((lat, lon) for province, _, _, lat, lon in _rows() if province == province_code)


def ward_centre(ward) -> tuple[float, float] | None:
    return _by_code().get(ward.code) or _by_name().get((ward.province_id, fold(ward.name)))
