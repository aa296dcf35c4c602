"""The 2025 administrative units, read from the `vietnam-provinces` package (never hand-copied)."""

from collections.abc import Iterator
from dataclasses import dataclass

import vietnam_provinces

from marketplace.text import nfc

HOME_PROVINCE_CODE = "91"  # An Giang, as merged with Kiên Giang on 1 July 2025


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    division_type: str
    codename: str
    parent_code: str | None = None


def province_code(code: int | str) -> str:
    return f"{int(code):02d}"


def ward_code(code: int | str) -> str:
    return f"{int(code):05d}"


def iter_provinces() -> Iterator[Unit]:
    for p in vietnam_provinces.Province.iter_all():
        yield Unit(province_code(p.code), nfc(p.name), p.division_type.value, p.codename)


def iter_wards() -> Iterator[Unit]:
    for w in vietnam_provinces.Ward.iter_all():
        yield Unit(
            ward_code(w.code),
            nfc(w.name),  # the package spells some "Xã  Xuân Giang", with two spaces
            w.division_type.value,
            w.codename,
            province_code(w.province_code),
        )


def data_version() -> str:
    return vietnam_provinces.__data_version__
