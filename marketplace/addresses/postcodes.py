"""The 5-digit national postcode: its first two digits name the province (or a former province).

Since the July 2025 merger a province may own several two-digit prefixes, one per former
province (An Giang: 90 for itself, 91 for the former Kiên Giang). The table lists them by the
new province code.
"""

import re

from django.utils.translation import gettext

from marketplace.addresses.errors import AddressError
from marketplace.errors import DomainError

_POSTCODE = re.compile(r"^\d{5}$")

PROVINCE_PREFIXES: dict[str, tuple[str, ...]] = {
    "01": ("10", "11", "12", "13", "14"),  # Hà Nội
    "04": ("21",),  # Cao Bằng
    "08": ("20", "22"),  # Tuyên Quang + Hà Giang
    "11": ("32",),  # Điện Biên
    "12": ("30",),  # Lai Châu
    "14": ("34",),  # Sơn La
    "15": ("31", "33"),  # Lào Cai + Yên Bái
    "19": ("23", "24"),  # Thái Nguyên + Bắc Kạn
    "20": ("25",),  # Lạng Sơn
    "22": ("01", "02"),  # Quảng Ninh
    "24": ("16", "26"),  # Bắc Ninh + Bắc Giang
    "25": ("15", "35", "36"),  # Phú Thọ + Vĩnh Phúc + Hòa Bình
    "31": ("03", "04", "05"),  # Hải Phòng + Hải Dương
    "33": ("06", "17"),  # Hưng Yên + Thái Bình
    "37": ("07", "08", "18"),  # Ninh Bình + Nam Định + Hà Nam
    "38": ("40", "41"),  # Thanh Hóa
    "40": ("43", "44"),  # Nghệ An
    "42": ("45", "46"),  # Hà Tĩnh
    "44": ("47", "48"),  # Quảng Trị + Quảng Bình
    "46": ("49",),  # Huế
    "48": ("50", "51"),  # Đà Nẵng + Quảng Nam
    "51": ("53", "60"),  # Quảng Ngãi + Kon Tum
    "52": ("55", "61"),  # Gia Lai + Bình Định
    "56": ("57", "59"),  # Khánh Hòa + Ninh Thuận
    "66": ("56", "63", "64"),  # Đắk Lắk + Phú Yên
    "68": ("65", "66", "77"),  # Lâm Đồng + Đắk Nông + Bình Thuận
    "75": ("67", "76"),  # Đồng Nai + Bình Phước
    "79": ("70", "71", "72", "73", "74", "75", "78"),  # TP.HCM + Bình Dương + Bà Rịa–Vũng Tàu
    "80": ("80", "82"),  # Tây Ninh + Long An
    "82": ("81", "84"),  # Đồng Tháp + Tiền Giang
    "86": ("85", "86", "87"),  # Vĩnh Long + Bến Tre + Trà Vinh
    "91": ("90", "91"),  # An Giang + Kiên Giang
    "92": ("94", "95", "96"),  # Cần Thơ + Hậu Giang + Sóc Trăng
    "96": ("97", "98"),  # Cà Mau + Bạc Liêu
}


def validate_postcode(postcode: str, province_code: str, field: str = "postal_code") -> str:
    """The stripped postcode if it has 5 digits and belongs to the province.

    Raises INVALID_POSTCODE otherwise."""
    value = (postcode or "").strip()
    if not _POSTCODE.match(value):
        raise DomainError(
            AddressError.INVALID_POSTCODE,
            gettext("Mã bưu chính phải gồm 5 chữ số: “%(value)s”.") % {"value": value},
            field,
        )
    if value[:2] not in PROVINCE_PREFIXES.get(province_code, ()):
        raise DomainError(
            AddressError.INVALID_POSTCODE,
            gettext("Mã bưu chính %(value)s không thuộc tỉnh/thành đã chọn.") % {"value": value},
            field,
        )
    return value


def default_postcode(province_code: str) -> str:
    """The province's central postcode (first prefix + 000), for shoppers who give none."""
    return PROVINCE_PREFIXES[province_code][0] + "000"


def province_of_postcode(postcode: str) -> str | None:
    for province, prefixes in PROVINCE_PREFIXES.items():
        if postcode[:2] in prefixes:
            return province
    return None
