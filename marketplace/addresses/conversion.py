"""Old (before 1 July 2025: province, district, ward) → new (province, ward) addresses, offline.

Reads the conversion tables shipped with `vietnamadminunits` (through unit_data, like every
reader of that package's data) and its address parser; coverage's ward resolver asks
`legacy_ward_names` here. The package's own `convert_address` may call
an online geocoder to split a divided ward by street; we never do that on a request path:
when an old ward was split between several new wards, every candidate is returned and the
shopper picks (the table's default first).
"""

from dataclasses import dataclass, field
from functools import cache

from django.utils.translation import gettext
from vietnamadminunits import ParseMode, parse_address

from marketplace.addresses import unit_data
from marketplace.addresses.errors import AddressError
from marketplace.addresses.models import Ward
from marketplace.errors import DomainError
from marketplace.text import fold, nfc


@dataclass(frozen=True)
class Conversion:
    old_label: str  # the old address as the official names spell it
    candidates: list[Ward] = field(default_factory=list)  # default first

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1

    @property
    def ward(self) -> Ward:
        return self.candidates[0]


def _not_found(what: str) -> DomainError:
    return DomainError(
        AddressError.OLD_ADDRESS_NOT_FOUND,
        gettext("Không tìm thấy %(what)s trong địa giới cũ.") % {"what": what},
        "ward",
    )


def _matches(typed: str, official_short: str | None) -> bool:
    """The parser is forgiving; insist the typed name is really the one it found."""
    typed_folded = fold(typed).replace(" ", "")
    return bool(official_short) and fold(official_short).replace(" ", "") in typed_folded


def _new_ward(new_ward_key: str, new_province_key: str) -> Ward:
    unit = parse_address(
        f"{new_ward_key},{new_province_key}", mode=ParseMode.FROM_2025, keep_street=False, level=2
    )
    ward = Ward.objects.select_related("province").filter(pk=unit.ward_code).first()
    if ward is None:  # the two datasets number a few wards differently; the names agree
        province_code = f"{int(unit.province_code):02d}"
        ward = next(
            (
                w
                for w in Ward.objects.select_related("province").filter(province_id=province_code)
                if fold(w.name) == fold(unit.ward)
            ),
            None,
        )
    if ward is None:
        raise _not_found(unit.ward or new_ward_key)
    return ward


def convert_old_address(province: str, district: str, ward: str) -> Conversion:
    """Convert an old address; raises OLD_ADDRESS_NOT_FOUND when it did not exist."""
    province, district, ward = nfc(province), nfc(district), nfc(ward)
    if not (province and district and ward):
        raise DomainError(AddressError.REQUIRED, gettext("Cần đủ tỉnh, huyện và xã cũ."), "ward")
    old = parse_address(
        f"{ward}, {district}, {province}", mode=ParseMode.LEGACY, keep_street=False, level=3
    )
    if not old.province_key or not _matches(province, old.short_province):
        raise _not_found(gettext("tỉnh “%(province)s”") % {"province": province})
    if not old.district_key or not _matches(district, old.short_district):
        raise _not_found(
            gettext("huyện “%(district)s” ở %(province)s")
            % {"district": district, "province": old.province}
        )
    if not old.ward_key or not _matches(ward, old.short_ward):
        raise _not_found(
            gettext("xã “%(ward)s” ở %(district)s, %(province)s")
            % {"ward": ward, "district": old.district, "province": old.province}
        )

    tables = unit_data.tables()
    new_province_key = next(
        key for key, olds in tables["DICT_PROVINCE"].items() if old.province_key in olds
    )
    old_key = f"{old.province_key}_{old.district_key}_{old.ward_key}"
    whole = tables["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_province_key, {})
    new_keys = [key for key, olds in whole.items() if old_key in olds]
    if not new_keys:
        split = tables["DICT_PROVINCE_WARD_DIVIDED"].get(new_province_key, {}).get(old_key, [])
        new_keys = [
            w["newWardKey"]
            for w in sorted(split, key=lambda w: not w["isDefaultNewWard"])  # default first
        ]
    if not new_keys:
        raise _not_found(gettext("xã “%(ward)s”") % {"ward": ward})
    return Conversion(
        old_label=f"{old.ward}, {old.district}, {old.province}",
        candidates=[_new_ward(key, new_province_key) for key in new_keys],
    )


@cache
def legacy_ward_names(province_code: str) -> dict[str, frozenset[str]]:
    """Old ward name key (compact, with and without its prefix, as the package spells it:
    'xaanphu', 'anphu') → the codes of the new wards of this province it went to."""
    new = unit_data.new_units(province_code)
    if not new:
        return {}
    new_province_key = new[0]["provinceKey"]
    code_of = {unit["wardKey"]: unit["wardCode"] for unit in new}
    new_keys_of = unit_data.new_ward_keys_of(new_province_key)
    index: dict[str, set[str]] = {}
    for old in unit_data.legacy_units(new_province_key):
        old_key = f"{old['provinceKey']}_{old['districtKey']}_{old['wardKey']}"
        codes = {code_of[k] for k in new_keys_of.get(old_key, ()) if k in code_of}
        for name_key in (old["wardKey"], old["wardShortKey"]):
            index.setdefault(name_key, set()).update(codes)
    return {name: frozenset(codes) for name, codes in index.items() if codes}
