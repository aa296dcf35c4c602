"""Decompression of GS1 Digital Link compressed URIs (GS1 Digital Link: Compression, DL 1.2).

A compressed URI carries its GS1 element strings as one base64url path segment
(https://host/ARHKVAdpQg) or, partially compressed, after an uncompressed primary key
(https://host/01/09780345418913/BCDE). The bits are a sequence of: an Application
Identifier (two hex digits, extended per table P), or an optimisation code standing for a
fixed run of AIs (table Opt), or `F` + a non-GS1 key; each followed by its value encoded per
table F (fixed/variable, numeric/alphanumeric with a 3-bit encoding indicator).

PyPI's `gs1-compression` was tried first: its optimised compression crashes and it installs
a top-level `tests` package, so this module implements the spec's decoder (decoding only:
we never mint compressed URIs). The tests cross-check it against GS1's own prototype.
"""

import math
import re
from dataclasses import dataclass, field
from urllib.parse import quote

BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_BASE64URL_SEGMENT = re.compile(r"^[A-Za-z0-9_-]+$")
HEX = "0123456789ABCDEF"
MAX_SEGMENT = 400  # longest sensible compressed URI; longer input is refused before decoding


class CompressionError(ValueError):
    pass


# Table P: how many digits an AI starting with these two digits has.
_AI_LENGTH = {
    **dict.fromkeys(["00", "01", "02", "10", "11", "12", "13", "15", "16", "17"], 2),
    **dict.fromkeys(["20", "21", "22", "30", "37", "90", "91", "92", "93", "94"], 2),
    **dict.fromkeys(["95", "96", "97", "98", "99"], 2),
    **dict.fromkeys(["23", "24", "25", "40", "41", "42", "71"], 3),
    **dict.fromkeys(["31", "32", "33", "34", "35", "36", "39", "70", "72", "80", "81", "82"], 4),
}

# Table Opt: one hex pair standing for a sequence of AIs.
_OPTIMISED = {
    "0A": ("01", "22"),
    "0B": ("01", "10"),
    "0C": ("01", "21"),
    "0D": ("01", "17"),
    "0E": ("01", "7003"),
    "0F": ("01", "30"),
    "1A": ("01", "10", "21", "17"),
    "1B": ("01", "15"),
    "1C": ("01", "11"),
    "1D": ("01", "16"),
    "1E": ("01", "91"),
    "1F": ("01", "10", "15"),
    **{f"2{HEX[10 + i]}": ("01", f"310{i}") for i in range(6)},
    **{f"3{HEX[10 + i]}": ("01", f"320{i}") for i in range(6)},
    "9A": ("8010", "8011"),
    "9B": ("8017", "8019"),
    "9C": ("8018", "8019"),
    "9D": ("414", "254"),
    **{f"A{i}": ("01", f"392{i}") for i in range(10)},
    **{f"C{i}": ("255", f"390{i}") for i in range(10)},
    **{f"C{HEX[10 + i]}": ("255", f"394{i}") for i in range(4)},
}


def _n(length: int) -> tuple:
    return (("N", "fixed", length),)


def _x(most: int) -> tuple:
    return (("X", "var", most),)


def _nv(most: int) -> tuple:
    return (("N", "var", most),)


def _components(ai: str) -> tuple:
    """Table F: the value's components as (N|X, fixed|var, length), or KeyError."""
    fixed = {
        "00": _n(18), "01": _n(14), "02": _n(14), "20": _n(2), "402": _n(17), "7001": _n(13),
        "7003": _n(10), "7006": _n(6), "8001": _n(14), "8005": _n(6), "8006": _n(18),
        "8017": _n(18), "8018": _n(18), "8026": _n(18), "8111": _n(4),
        "10": _x(20), "21": _x(20), "22": _x(20), "243": _x(20), "254": _x(20), "420": _x(20),
        "8002": _x(20), "8012": _x(20), "240": _x(30), "241": _x(30), "250": _x(30),
        "251": _x(30), "400": _x(30), "401": _x(30), "403": _x(30), "7002": _x(30),
        "7023": _x(30), "8004": _x(30), "8010": _x(30), "8013": _x(30), "90": _x(30),
        "427": _x(3), "7008": _x(3), "7005": _x(12), "7009": _x(10), "7010": _x(2),
        "8007": _x(24), "8009": _x(50), "8020": _x(25), "8110": _x(70), "8112": _x(70),
        "8200": _x(70), "242": _nv(6), "30": _nv(8), "37": _nv(8), "7004": _nv(4),
        "8011": _nv(12), "8019": _nv(10),
        "253": (("N", "fixed", 13), ("X", "var", 17)),
        "255": (("N", "fixed", 13), ("N", "var", 12)),
        "421": (("N", "fixed", 3), ("X", "var", 9)),
        "423": (("N", "fixed", 3), ("N", "var", 12)),
        "425": (("N", "fixed", 3), ("N", "var", 12)),
        "7007": (("N", "fixed", 6), ("N", "var", 6)),
        "8003": (("N", "fixed", 14), ("X", "var", 16)),
        "8008": (("N", "fixed", 8), ("N", "var", 4)),
    }  # fmt: skip
    if ai in fixed:
        return fixed[ai]
    if ai in ("11", "12", "13", "15", "16", "17", "422", "424", "426"):
        return _n(6) if len(ai) == 2 else _n(3)
    if ai[:2] in ("31", "32", "33", "34", "35", "36") and ai[3] in "012345":
        return _n(6)
    if ai[:2] == "39":
        third = ai[2]
        if third in "02":
            return _nv(15)
        if third in "13":
            return (("N", "fixed", 3), ("N", "var", 15))
        if third == "4" and ai[3] in "0123":
            return _n(4)
    if ai in ("410", "411", "412", "413", "414", "415", "416"):
        return _n(13)
    if ai.startswith("703") and len(ai) == 4:
        return (("N", "fixed", 3), ("X", "var", 27))
    if ai in ("7020", "7021", "7022", "710", "711", "712", "713", "714"):
        return _x(20)
    if ai.startswith("723") and len(ai) == 4:
        return _x(30)
    if len(ai) == 2 and "91" <= ai <= "99":
        return _x(90)
    raise KeyError(ai)


def _value_bits(digits: int) -> int:
    return math.ceil(digits * math.log(10) / math.log(2) + 0.01)


def _length_bits(most: int) -> int:
    return math.ceil(math.log(most) / math.log(2) + 0.01)


class _Bits:
    def __init__(self, segment: str):
        self.bits = "".join(f"{BASE64URL.index(c):06b}" for c in segment)
        self.cursor = 0

    def remaining(self) -> int:
        return len(self.bits) - self.cursor

    def read(self, count: int) -> int:
        if count < 0 or count > self.remaining():
            raise CompressionError("truncated compressed value")
        chunk = self.bits[self.cursor : self.cursor + count]
        self.cursor += count
        return int(chunk, 2) if chunk else 0

    def digits(self, count: int) -> str:
        value = str(self.read(_value_bits(count))) if count else ""
        if len(value) > count:
            raise CompressionError("numeric value longer than its length")
        return value.zfill(count)

    def chars(self, encoding: int, count: int) -> str:
        if encoding == 0:
            return self.digits(count)
        if encoding in (1, 2):
            text = "".join(HEX[self.read(4)] for _ in range(count))
            return text.lower() if encoding == 1 else text
        if encoding == 3:
            return "".join(BASE64URL[self.read(6)] for _ in range(count))
        if encoding == 4:
            return "".join(chr(self.read(7)) for _ in range(count))
        raise CompressionError(f"unknown encoding {encoding}")


def _decode_value(bits: _Bits, ai: str) -> str:
    try:
        components = _components(ai)
    except KeyError:
        raise CompressionError(f"unsupported AI ({ai})") from None
    value = ""
    for kind, form, length in components:
        if kind == "N" and form == "fixed":
            value += bits.digits(length)
        elif kind == "N":
            count = bits.read(_length_bits(length))
            if count > length:
                raise CompressionError(f"AI ({ai}) longer than {length}")
            value += bits.digits(count)
        elif form == "fixed":
            encoding = bits.read(3)
            value += bits.chars(encoding, length)
        else:
            encoding = bits.read(3)
            count = bits.read(_length_bits(length))
            if count > length:
                raise CompressionError(f"AI ({ai}) longer than {length}")
            value += bits.chars(encoding, count)
    return value


@dataclass
class Decompressed:
    """Element strings in the order found, plus non-GS1 key=value pairs."""

    elements: dict[str, str] = field(default_factory=dict)
    other: dict[str, str] = field(default_factory=dict)


def decompress_segment(segment: str) -> Decompressed:
    """The AIs and values carried by one compressed path segment; CompressionError if not."""
    if not segment or len(segment) > MAX_SEGMENT or not _BASE64URL_SEGMENT.match(segment):
        raise CompressionError("not a base64url segment")
    bits = _Bits(segment)
    result = Decompressed()
    while bits.remaining() > 8:
        h1, h2 = HEX[bits.read(4)], HEX[bits.read(4)]
        pair = h1 + h2
        if pair.isdigit():
            size = _AI_LENGTH.get(pair)
            if size is None:
                raise CompressionError(f"reserved AI range {pair}")
            ai = pair
            for _ in range(size - 2):
                digit = bits.read(4)
                if digit > 9:
                    raise CompressionError("AI digits must be numeric")
                ai += str(digit)
            result.elements[ai] = _decode_value(bits, ai)
        elif pair in _OPTIMISED:
            for ai in _OPTIMISED[pair]:
                result.elements[ai] = _decode_value(bits, ai)
        elif h1 == "F":
            bits.cursor -= 4
            key_length = bits.read(7)
            key = "".join(BASE64URL[bits.read(6)] for _ in range(key_length))
            encoding = bits.read(3)
            result.other[key] = bits.chars(encoding, bits.read(7))
        else:
            raise CompressionError(f"no optimisation defined for {pair}")
    if bits.bits[bits.cursor :].strip("0"):
        raise CompressionError("trailing bits are not padding")
    if not result.elements and not result.other:
        raise CompressionError("nothing compressed")
    return result


# Key qualifiers of a GTIN, in the order the Digital Link path must carry them.
GTIN_QUALIFIERS = ("22", "10", "21")


def to_uri(data: Decompressed, stem: str) -> str:
    """The uncompressed GS1 Digital Link URI (numeric AIs) for decompressed GTIN data."""
    elements = dict(data.elements)
    gtin = elements.pop("01", None)
    if gtin is None:
        raise CompressionError("no GTIN (01) primary key")
    path = f"/01/{gtin}"
    for ai in GTIN_QUALIFIERS:
        if ai in elements:
            path += f"/{ai}/{quote(elements.pop(ai), safe='')}"
    query = [f"{ai}={quote(value, safe='')}" for ai, value in sorted(elements.items())]
    query += [f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in data.other.items()]
    return stem.rstrip("/") + path + (f"?{'&'.join(query)}" if query else "")
