"""The relevance test set: shopper queries over the sample catalog and what should come back.

What is relevant is derived from the sample CSVs by a rule written next to each query (a phrase
in the product's name, the producer's ward, the producer) — never from what a backend returns.
Only published products count: nothing else can be found.
"""

import csv
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from fixtures.loader import SAMPLE_DIR
from marketplace.text import fold


@dataclass(frozen=True)
class Row:
    sku: str
    name: str
    producer: str
    ward: str  # without "Xã"/"Phường"/"Đặc khu"


@cache
def published_rows() -> tuple[Row, ...]:
    with open(SAMPLE_DIR / "producers.csv", encoding="utf-8") as f:
        producers = {r["producer_code"]: r for r in csv.DictReader(f)}
    rows = []
    with open(SAMPLE_DIR / "products.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["status"] != "published":
                continue
            producer = producers[r["producer_code"]]
            ward = producer["ward_name"]
            for prefix in ("Đặc khu ", "Phường ", "Xã "):
                ward = ward.removeprefix(prefix)
            rows.append(Row(r["sku"], r["name"], producer["name"], ward))
    return tuple(rows)


def _has(text: str, phrase: str) -> bool:
    return f" {fold(phrase)} " in f" {fold(text)} "


def name_has(*phrases: str) -> Callable[[Row], bool]:
    """Every phrase appears, as whole words, in the product's name."""
    return lambda row: all(_has(row.name, p) for p in phrases)


def name_has_any(*phrases: str) -> Callable[[Row], bool]:
    return lambda row: any(_has(row.name, p) for p in phrases)


def place(name: str) -> Callable[[Row], bool]:
    """From that place: named after it, or made by a producer in that ward."""
    return lambda row: _has(row.name, name) or fold(row.ward) == fold(name)


def producer(name: str) -> Callable[[Row], bool]:
    return lambda row: fold(row.producer) == fold(name)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# (what the shopper typed, which kind of input it is, the rule for relevant products)
QUERIES: list[tuple[str, str, Callable[[Row], bool]]] = [
    ("nuoc mam", "no marks", name_has("nước mắm")),
    ("NƯỚC MẮM PHÚ QUỐC", "upper case", name_has("nước mắm", "phú quốc")),
    (nfd("nước mắm nhĩ"), "NFD", name_has("nước mắm nhĩ")),
    ("nươc mam", "partial marks", name_has("nước mắm")),
    ("nuoc mamm", "typo", name_has("nước mắm")),
    ("thốt nốt", "family", name_has("thốt nốt")),
    ("THOT NOT", "upper case, no marks", name_has("thốt nốt")),
    ("duong thot not", "no marks", name_has("đường thốt nốt")),
    ("rượu thốt nốt", "family", name_has("rượu", "thốt nốt")),
    ("thot nott", "typo", name_has("thốt nốt")),
    ("mam thai", "no marks", name_has("mắm thái")),
    ("mắm thai chàu đóc", "wrong marks", name_has("mắm thái châu đốc")),
    (nfd("Mắm cá linh"), "NFD", name_has("mắm cá linh")),
    ("mắm cá sặc", "marks", name_has("mắm cá sặc")),
    ("kho ca loc", "no marks", name_has("khô cá lóc")),
    ("khoo ca loc", "typo", name_has("khô cá lóc")),
    ("khô mực", "marks", name_has("khô mực")),
    ("tom kho", "no marks", name_has("tôm khô")),
    ("chả cá thác lác", "marks", name_has("chả cá thác lác")),
    ("tieu phu quoc", "no marks", name_has("tiêu", "phú quốc")),
    ("tieu so", "no marks", name_has("tiêu sọ")),
    ("đặc sản Phú Quốc", "place", place("Phú Quốc")),
    ("tri ton", "place, no marks", place("Tri Tôn")),
    ("CHÂU ĐỐC", "place, upper case", place("Châu Đốc")),
    ("ha tien", "place, no marks", place("Hà Tiên")),
    ("U Minh Thượng", "place", place("U Minh Thượng")),
    ("mat ong", "no marks", name_has("mật ong")),
    ("mật ong rừng tràm", "marks", name_has("mật ong rừng tràm")),
    ("mat o", "as you type", name_has("mật ong")),
    ("tra kho qua", "no marks", name_has("trà khổ qua")),
    ("trà mãng cầu", "marks", name_has("trà mãng cầu")),
    ("banh trang", "no marks", name_has("bánh tráng")),
    ("banh trnag", "typo", name_has("bánh tráng")),
    ("bánh phồng tôm", "marks", name_has("bánh phồng tôm")),
    ("gao nang nhen", "no marks", name_has("gạo nàng nhen")),
    ("lua tan chau", "no marks", name_has("lụa", "tân châu")),
    ("thổ cẩm", "marks", name_has("thổ cẩm")),
    ("khan choang ran", "no marks", name_has("khăn choàng rằn")),
    ("dao thoi son", "no marks", name_has("dao", "thới sơn")),
    ("tinh dau tram", "no marks", name_has("tinh dầu tràm")),
    ("tinh dau trma", "typo", name_has("tinh dầu tràm")),
    ("dầu gội bồ kết", "marks", name_has("dầu gội bồ kết")),
    ("mô hình ghe ngo", "marks", name_has("mô hình ghe ngo")),
    ("xuong ba la", "no marks", name_has("xuồng ba lá")),
    ("ruou sim", "no marks", name_has("rượu sim")),
    ("rượu đế nếp", "marks", name_has("rượu đế nếp")),
    ("muoi ot", "no marks", name_has("muối", "ớt")),
    ("chuoi say", "no marks", name_has("chuối sấy")),
    ("cao atiso", "no marks", name_has("cao atiso")),
    ("mai chieu thuy", "no marks", name_has("mai chiếu thủy")),
    ("xoai", "no marks", name_has("xoài")),
    ("tour rung tram tra su", "no marks", name_has("tour rừng tràm trà sư")),
    ("Bùi Ngọc Sang", "producer", producer("Hộ kinh doanh Bùi Ngọc Sang")),
    ("thuan thien", "producer, no marks", producer("Công ty TNHH Thuận Thiên")),
    ("htx thuy san ha tien", "producer, no marks", producer("HTX Thủy sản Hà Tiên")),
]


def old_district(name: str) -> Callable[[Row], bool]:
    """From a district abolished in 2025: made in one of the new wards its old wards went to
    (the conversion tables of vietnamadminunits), or named after one of them."""
    wards = _district_wards()[fold(name)]
    return lambda row: fold(row.ward) in wards or any(_has(row.name, w) for w in wards)


@cache
def _district_wards() -> dict[str, set[str]]:
    from vietnamadminunits.converter import converter_2025 as conv
    from vietnamadminunits.database import query

    units = {u["wardKey"]: fold(u["wardShort"]) for u in query(
        "SELECT wardKey, wardShort FROM admin_units WHERE provinceCode = '91'"
    )}  # fmt: skip
    names = {}
    for province in conv.DICT_PROVINCE["tinhangiang"]:
        for r in query(
            "SELECT DISTINCT districtKey, districtShort FROM admin_units_legacy "
            f"WHERE provinceKey = '{province}'"
        ):
            names[r["districtKey"]] = fold(r["districtShort"])
    found: dict[str, set[str]] = {}
    for new, olds in conv.DICT_PROVINCE_WARD_NO_DIVIDED["tinhangiang"].items():
        for old in olds:
            found.setdefault(names[old.split("_")[1]], set()).add(units[new])
    for old, parts in conv.DICT_PROVINCE_WARD_DIVIDED["tinhangiang"].items():
        for part in parts:
            found.setdefault(names[old.split("_")[1]], set()).add(units[part["newWardKey"]])
    return found


# How shoppers really type (issue 17): keyboard off, joined words, English, other regions' words,
# shop talk, places as gifts. The rule is what the shopper means, written from the words alone.
SHOPPER_QUERIES: list[tuple[str, str, Callable[[Row], bool]]] = [
    ("nuowcs mawms", "telex", name_has("nước mắm")),
    ("dduowngf thoots noots", "telex", name_has("đường thốt nốt")),
    ("mawms thasi", "telex", name_has("mắm thái")),
    ("khoo cas locs", "telex", name_has("khô cá lóc")),
    ("tieeu phus quoocs", "telex", name_has("tiêu", "phú quốc")),
    ("maajt ong rwngf trafm", "telex", name_has("mật ong rừng tràm")),
    ("banhs trangs", "telex", name_has("bánh tráng")),
    ("luaj taan chaau", "telex", name_has("lụa", "tân châu")),
    ("gajo nangf nhen", "telex", name_has("gạo nàng nhen")),
    ("tinh daauf trafm", "telex", name_has("tinh dầu tràm")),
    ("khoo muwjc", "telex", name_has("khô mực")),
    ("ruwowuj sim", "telex", name_has("rượu sim")),
    ("ma8m1", "vni", name_has("mắm")),
    ("nu7o71c ma81m", "vni", name_has("nước mắm")),
    ("d9u7o7ng2 tho6t1 no6t1", "vni", name_has("đường thốt nốt")),
    ("tra2 kho63 qua", "vni", name_has("trà khổ qua")),
    ("to6m kho6", "vni", name_has("tôm khô")),
    ("ba1nh pho62ng to6m", "vni", name_has("bánh phồng tôm")),
    ("#nuocmam", "joined, hashtag", name_has("nước mắm")),
    ("tieuphuquoc", "joined", name_has("tiêu", "phú quốc")),
    ("banhtrang", "joined", name_has("bánh tráng")),
    ("#matongrungtram", "joined, hashtag", name_has("mật ong rừng tràm")),
    ("khocaloc", "joined", name_has("khô cá lóc")),
    ("#duongthotnot 🌴", "joined, hashtag", name_has("đường thốt nốt")),
    ("TraKhoQua", "joined", name_has("trà khổ qua")),
    ("#luatanchau", "joined, hashtag", name_has("lụa", "tân châu")),
    ("muoiot", "joined", name_has("muối", "ớt")),
    ("fish sauce", "english", name_has("nước mắm")),
    ("pepper", "english", name_has("tiêu")),
    ("honey", "english", name_has("mật ong")),
    ("silk", "english", name_has("lụa")),
    ("palm sugar", "english", name_has("đường thốt nốt")),
    ("dried squid", "english", name_has("khô mực")),
    ("dried shrimp", "english", name_has("tôm khô")),
    ("pearl earrings", "english", name_has("bông tai ngọc trai")),
    ("rice paper", "english", name_has("bánh tráng")),
    ("Phu Quoc fish sauce", "english", name_has("nước mắm", "phú quốc")),
    ("palm wine", "english", name_has("rượu", "thốt nốt")),
    ("essential oil", "english", name_has("tinh dầu")),
    ("knife", "english", name_has("dao")),
    ("brocade scarf", "english", name_has("khăn", "thổ cẩm")),
    ("mứt thơm", "synonym", name_has("mứt khóm")),
    ("mứt dứa", "synonym", name_has("mứt khóm")),
    ("mứt chuối", "synonym", name_has("chuối sấy dẻo")),
    ("trà mướp đắng", "synonym", name_has("trà khổ qua")),
    ("khô cá quả", "synonym", name_has("khô cá lóc")),
    ("bánh đa Thạnh Mỹ", "synonym", name_has("bánh tráng thạnh mỹ")),
    ("hũ mắm thái 1kg", "shop words", name_has("mắm thái")),
    ("nước mắm ngon giá rẻ", "shop words", name_has("nước mắm")),
    ("bán tiêu sọ loại 1", "shop words", name_has("tiêu sọ")),
    ("chai rượu sim", "shop words", name_has("rượu sim")),
    ("bịch khô cá lóc 500g", "shop words", name_has("khô cá lóc")),
    ("gói bánh phồng tôm", "shop words", name_has("bánh phồng tôm")),
    ("mật ong 1 lít chính hãng", "shop words", name_has("mật ong")),
    ("quà Phú Quốc", "gift place", place("Phú Quốc")),
    ("đặc sản Hà Tiên", "gift place", place("Hà Tiên")),
    ("quà tặng Châu Đốc", "gift place", place("Châu Đốc")),
    ("quà biếu Tri Tôn", "gift place", place("Tri Tôn")),
    ("đặc sản Kiên Hải", "gift place", place("Kiên Hải")),
    ("đặc sản Châu Phú", "old district", old_district("Châu Phú")),
    ("quà huyện Thoại Sơn", "old district", old_district("Thoại Sơn")),
    ("đặc sản huyện Chợ Mới", "old district", old_district("Chợ Mới")),
]
ALL_QUERIES = QUERIES + SHOPPER_QUERIES


def relevant_skus(rule: Callable[[Row], bool]) -> set[str]:
    return {row.sku for row in published_rows() if rule(row)}


@dataclass(frozen=True)
class Judged:
    query: str
    kind: str
    relevant: int
    k: int
    precision: float
    first_relevant: bool
    top: list[str]


def judge(search: Callable[[str], list[str]], queries=None) -> list[Judged]:
    """Run every query (the project's set by default) through `search` (query → SKUs in order)
    and score it."""
    judged = []
    for query, kind, rule in QUERIES if queries is None else queries:
        relevant = relevant_skus(rule)
        found = search(query)
        k = min(10, len(relevant))
        hits = sum(1 for sku in found[:k] if sku in relevant)
        judged.append(
            Judged(
                query=query,
                kind=kind,
                relevant=len(relevant),
                k=k,
                precision=hits / k if k else 0.0,
                first_relevant=bool(found) and found[0] in relevant,
                top=found[:3],
            )
        )
    return judged


def summary(judged: list[Judged]) -> tuple[float, float]:
    """(mean precision@k, share of queries whose first result is relevant)."""
    return (
        sum(j.precision for j in judged) / len(judged),
        sum(j.first_relevant for j in judged) / len(judged),
    )


def table(judged: list[Judged]) -> str:
    lines = [f"{'query':<28} {'kind':<22} {'rel':>3} {'k':>3} {'P@k':>5} first  top"]
    for j in judged:
        lines.append(
            f"{unicodedata.normalize('NFC', j.query)[:28]:<28} {j.kind[:22]:<22} {j.relevant:>3} "
            f"{j.k:>3} {j.precision:>5.2f} {'yes' if j.first_relevant else 'NO ':<5}  "
            f"{' '.join(j.top)}"
        )
    precision, first = summary(judged)
    lines.append(f"mean precision@k {precision:.3f}   first result relevant {first:.1%}")
    return "\n".join(lines)


def by_kind(judged: list[Judged]) -> str:
    """Mean precision and first-result-relevant per kind of input (the part before a comma)."""
    kinds: dict[str, list[Judged]] = {}
    for j in judged:
        kinds.setdefault(j.kind.split(",")[0], []).append(j)
    lines = [f"{'kind':<14} {'n':>3} {'P@k':>6} {'first':>6}"]
    for kind, group in kinds.items():
        precision, first = summary(group)
        lines.append(f"{kind:<14} {len(group):>3} {precision:>6.3f} {first:>6.1%}")
    return "\n".join(lines)
