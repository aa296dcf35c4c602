"""VPostcode: a 12-character digital address = 5-digit postcode + 7-character location reference.

The reference is an Open Location Code of 11 digits (a cell of about 3 m × 3 m) without its
first four digits, which only name a 1° × 1° cell. Decoding puts back a 1° cell among those the
postcode's province touches. Candidates lie a whole degree (~110 km) apart, so with a hint
(the address's ward centre) the right one is unmistakable. Without one, the candidate nearest a
ward centre of the province comes first; a province wider than 1° (An Giang reaches from Phú
Quốc to Tân Châu) can leave two plausible places, and `candidates` lists both for the shopper.

Providers: `OfflineVPostcodeProvider` computes everything locally; Vietnam Post's own service
can be plugged in later by another class with the same two methods (setting VPOSTCODE_PROVIDER).
"""

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from openlocationcode import openlocationcode as olc

from marketplace.addresses import centres, postcodes
from marketplace.addresses.errors import AddressError
from marketplace.errors import DomainError

CODE_LENGTH = 11  # OLC digits: 10 give ~14 m, 11 give ~3 m
_DROPPED = 4
PLAUSIBLE_KM = 25  # farther than this from every ward centre of the province: not there
_PATTERN = re.compile(r"^(\d{5})([23456789CFGHJMPQRVWX]{7})$")


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Decoded:
    postcode: str
    province_code: str
    location: Location


class VPostcodeProvider(Protocol):
    def encode(self, postcode: str, location: Location) -> str: ...

    def candidates(self, vpostcode: str) -> list[Decoded]: ...

    def decode(self, vpostcode: str, near: Location | None = None) -> Decoded: ...


def normalize(vpostcode: str) -> str:
    """Upper case, without the spaces, dashes and '+' people type for readability."""
    return re.sub(r"[\s\-+]", "", vpostcode or "").upper()


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[0] + b[0]) / 2)
    dx = (a[1] - b[1]) * math.cos(lat)
    dy = a[0] - b[0]
    return 111.2 * math.hypot(dx, dy)


@cache
def _province_cells(province_code: str) -> tuple[str, ...]:
    """The 1° cells a province's places can fall in: its ward centres', give or take 0.25°
    (a ward reaches past the cell edge its centre sits near)."""
    shifts = (-0.25, 0.0, 0.25)
    return tuple(
        sorted(
            {
                olc.encode(lat + dy, lon + dx, CODE_LENGTH)[:_DROPPED]
                for lat, lon in centres.province_centres(province_code)
                for dy in shifts
                for dx in shifts
            }
        )
    )


class OfflineVPostcodeProvider:
    def encode(self, postcode: str, location: Location) -> str:
        full = olc.encode(location.latitude, location.longitude, CODE_LENGTH).replace("+", "")
        return postcode + full[_DROPPED:]

    def candidates(self, vpostcode: str) -> list[Decoded]:
        """Every place the code may stand for, most plausible first (near a ward centre)."""
        match = _PATTERN.match(normalize(vpostcode))
        province = match and postcodes.province_of_postcode(match.group(1))
        if not province:
            raise DomainError(
                AddressError.INVALID_VPOSTCODE,
                gettext(
                    "VPostcode “%(vpostcode)s” không hợp lệ (5 chữ số bưu chính + 7 ký tự vị trí)."
                )
                % {"vpostcode": vpostcode},
                "vpostcode",
            )
        postcode, rest = match.groups()
        ward_centres = centres.province_centres(province)
        scored = []
        for cell in _province_cells(province):
            area = olc.decode(f"{cell}{rest[:4]}+{rest[4:]}")
            point = (area.latitudeCenter, area.longitudeCenter)
            nearest = min(_distance_km(point, c) for c in ward_centres)
            if nearest <= PLAUSIBLE_KM:
                scored.append((nearest, Decoded(postcode, province, Location(*point))))
        if not scored:
            raise DomainError(
                AddressError.INVALID_VPOSTCODE,
                gettext(
                    "VPostcode “%(vpostcode)s” chỉ ra nơi không thuộc tỉnh/thành của mã bưu chính."
                )
                % {"vpostcode": vpostcode},
                "vpostcode",
            )
        return [decoded for _, decoded in sorted(scored, key=lambda item: item[0])]

    def decode(self, vpostcode: str, near: Location | None = None) -> Decoded:
        options = self.candidates(vpostcode)
        if near is None:
            return options[0]
        here = (near.latitude, near.longitude)
        return min(
            options,
            key=lambda d: _distance_km((d.location.latitude, d.location.longitude), here),
        )


def provider() -> VPostcodeProvider:
    return import_string(settings.VPOSTCODE_PROVIDER)()


def open_location_code(code: str, near: Location | None = None) -> str:
    """The full Open Location Code (e.g. '7P28QPG4+4Q') a VPostcode stands for, '' if invalid.

    Couriers' apps and maps open a plus code; a slip carries it beside the VPostcode."""
    try:
        decoded = provider().decode(code, near=near)
    except DomainError:
        return ""
    return olc.encode(decoded.location.latitude, decoded.location.longitude, CODE_LENGTH)
