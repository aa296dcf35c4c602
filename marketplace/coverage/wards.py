"""Finding a ward of the home province from the name a clerk typed, old (pre-2025) names too.

Current names come from our Ward table (`vietnam-provinces`). Old names are converted with the
conversion tables of `vietnamadminunits` (marketplace.addresses.conversion.legacy_ward_names,
read through addresses.unit_data like all of that package's data): an old ward kept whole maps
to one new ward; an old ward split between several new ones, or an old name used in several old
districts that went to different new wards, is ambiguous and rejected rather than guessed.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext

from marketplace.addresses.conversion import legacy_ward_names
from marketplace.addresses.models import Ward
from marketplace.addresses.units import HOME_PROVINCE_CODE
from marketplace.coverage.errors import CoverageError
from marketplace.errors import DomainError
from marketplace.text import fold

_PREFIXES = ("dac khu ", "phuong ", "thi tran ", "xa ")
_NON_ALNUM = re.compile(r"[^a-z0-9]")


def _compact(folded: str) -> str:
    """vietnamadminunits keys are folded names without spaces: 'xa an phu' → 'xaanphu'."""
    return _NON_ALNUM.sub("", folded)


def _without_prefix(folded: str) -> str:
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


@dataclass(frozen=True)
class ResolvedWard:
    code: str
    converted_from: str | None = None  # the old name, when the row used one


class WardResolver:
    """Built once per import: dictionary look-ups only, so 50,000 rows stay fast."""

    def __init__(self, province_code: str = HOME_PROVINCE_CODE):
        by_full: dict[str, str] = {}
        by_short: dict[str, set[str]] = {}
        for code, name in Ward.objects.filter(province_id=province_code).values_list(
            "code", "name"
        ):
            folded = _compact(fold(name))
            by_full[folded] = code
            by_short.setdefault(_compact(_without_prefix(fold(name))), set()).add(code)
        self._by_full = by_full
        self._by_short = by_short
        self._legacy = legacy_ward_names(province_code)
        self._cache: dict[str, ResolvedWard] = {}

    def resolve(self, typed: str) -> ResolvedWard:
        """The ward for a typed name, or DomainError(UNKNOWN_WARD / AMBIGUOUS_WARD)."""
        if typed in self._cache:
            return self._cache[typed]
        resolved = self._resolve(typed)
        self._cache[typed] = resolved
        return resolved

    def _resolve(self, typed: str) -> ResolvedWard:
        folded = fold(typed)
        if not folded:
            raise DomainError(CoverageError.REQUIRED, gettext("không được để trống"), "xa_phuong")
        full, short = _compact(folded), _compact(_without_prefix(folded))
        if full in self._by_full:
            return ResolvedWard(self._by_full[full])
        current = self._by_short.get(short, set())
        if full == short and len(current) == 1:  # typed without "Xã/Phường/Đặc khu"
            return ResolvedWard(next(iter(current)))
        old = self._legacy.get(full)
        if not old:
            if len(current) > 1:
                raise DomainError(
                    CoverageError.AMBIGUOUS_WARD,
                    gettext("'%(typed)s' trùng tên nhiều xã/phường; ghi rõ Xã/Phường/Đặc khu")
                    % {"typed": typed},
                    "xa_phuong",
                )
            raise DomainError(
                CoverageError.UNKNOWN_WARD,
                gettext("'%(typed)s' không phải xã/phường của tỉnh") % {"typed": typed},
                "xa_phuong",
            )
        if len(old) > 1:
            raise DomainError(
                CoverageError.AMBIGUOUS_WARD,
                gettext(
                    "'%(typed)s' là tên cũ, nay thuộc nhiều xã/phường mới; ghi tên xã/phường mới"
                )
                % {"typed": typed},
                "xa_phuong",
            )
        return ResolvedWard(next(iter(old)), converted_from=typed)
