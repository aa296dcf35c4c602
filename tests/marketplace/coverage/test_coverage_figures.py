"""The sample figures for 2026-11-27, recomputed here straight from the CSVs.

The expectation below shares no code with the app: plain csv, its own date parsing and name
comparison (NFC + case-folding), ward codes from `vietnam_provinces`.
"""

import csv
import datetime
import unicodedata
from collections import defaultdict

import pytest
import vietnam_provinces

from fixtures.loader import SAMPLE_DIR
from tests.marketplace.coverage.conftest import REPORT_DAY

QUERY = """
query($asOf: Date) { ocopCoverage(asOf: $asOf) {
  asOf certified online share
  byWard { key label certified online share }
  byGroup { key label certified online share }
  byStars { key label certified online share }
  byProducerKind { key label certified online share }
} }
"""


def same(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def dmy(text: str) -> datetime.date:
    day, month, year = text.split("/")
    return datetime.date(int(year), int(month), int(day))


def read(name: str) -> list[dict]:
    with open(SAMPLE_DIR / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_figures(day: datetime.date) -> dict:
    wards = {
        same(w.name): (f"{w.code:05d}", w.name)
        for w in vietnam_provinces.Ward.iter_all()
        if w.province_code == 91
    }
    producers = {p["producer_code"]: p for p in read("producers.csv")}
    producer_by_name = {same(p["name"]): p for p in producers.values()}
    products = read("products.csv")
    group_names = {p["ocop_set"].split(".")[0]: p["ocop_group"] for p in products}
    published = [p for p in products if p["status"] == "published"]
    published_certs = {p["certificate_no"] for p in published}
    published_by_name = {
        (
            same(p["name"]),
            same(producers[p["producer_code"]]["name"]),
            producers[p["producer_code"]]["ward_code"],
        )
        for p in published
    }
    register = read("registry.csv")
    register_certs = {r["so_chung_nhan"] for r in register if r["so_chung_nhan"]}
    external = read("external_listings.csv")
    external_certs = {e["certificate_no"] for e in external if e["certificate_no"]}
    # A sighting without a number, or with one the register lacks, counts by name + producer.
    external_by_name = {
        (same(e["product_name"]), same(e["producer_name"]))
        for e in external
        if e["certificate_no"] not in register_certs
    }
    kind_by_prefix = {
        "htx": "hop_tac_xa",
        "công ty": "doanh_nghiep",
        "hộ kinh doanh": "ho_kinh_doanh",
        "cơ sở": "co_so",
    }
    kind_labels = {
        "hop_tac_xa": "Hợp tác xã",
        "doanh_nghiep": "Doanh nghiệp",
        "ho_kinh_doanh": "Hộ kinh doanh",
        "co_so": "Cơ sở sản xuất",
    }

    tables = {
        name: defaultdict(lambda: [None, 0, 0]) for name in ("ward", "group", "stars", "kind")
    }
    for r in register:
        if not dmy(r["ngay_cap"]) <= day <= dmy(r["han_hieu_luc"]):
            continue
        ward_code, ward_name = wards[same(r["xa_phuong"])]
        name, producer = same(r["ten_san_pham"]), same(r["chu_the"])
        cert = r["so_chung_nhan"]
        if cert:
            online = cert in published_certs or cert in external_certs
        else:
            online = False
        online = online or (not cert and (name, producer, ward_code) in published_by_name)
        online = online or (name, producer) in external_by_name
        group = r["phan_nhom"].split(".")[0]
        if producer in producer_by_name:
            kind = producer_by_name[producer]["kind"]
        else:
            kind = next(k for prefix, k in kind_by_prefix.items() if producer.startswith(prefix))
        for table, key, label in (
            ("ward", ward_code, ward_name),
            ("group", group, group_names[group]),
            ("stars", r["so_sao"], f"{r['so_sao']} sao"),
            ("kind", kind, kind_labels[kind]),
        ):
            row = tables[table][key]
            row[0] = label
            row[1] += 1
            row[2] += online

    def rows(table):
        return {
            key: {"label": label, "certified": c, "online": o, "share": round(o / c, 4)}
            for key, (label, c, o) in tables[table].items()
        }

    certified = sum(v[1] for v in tables["stars"].values())
    online = sum(v[2] for v in tables["stars"].values())
    return {
        "certified": certified,
        "online": online,
        "share": round(online / certified, 4),
        "byWard": rows("ward"),
        "byGroup": rows("group"),
        "byStars": rows("stars"),
        "byProducerKind": rows("kind"),
    }


def as_dict(rows: list[dict]) -> dict:
    return {r["key"]: {k: r[k] for k in ("label", "certified", "online", "share")} for r in rows}


def test_sample_figures_match_an_independent_count(sample_register, graphql):
    expected = expected_figures(REPORT_DAY)
    data = graphql(QUERY, {"asOf": "2026-11-27"})["data"]["ocopCoverage"]

    assert data["asOf"] == "2026-11-27"
    assert (data["certified"], data["online"], data["share"]) == (
        expected["certified"],
        expected["online"],
        expected["share"],
    )
    for breakdown in ("byWard", "byGroup", "byStars", "byProducerKind"):
        assert as_dict(data[breakdown]) == expected[breakdown], breakdown
    # Guard against an expectation that is trivially equal (e.g. both empty).
    assert expected["certified"] > 200 and 0 < expected["online"] < expected["certified"]
    assert set(expected["byGroup"]) == {"1", "2", "3", "4", "5", "6"}


def test_rows_come_in_key_order(sample_register, graphql):
    data = graphql(QUERY, {"asOf": "2026-11-27"})["data"]["ocopCoverage"]
    assert [r["key"] for r in data["byGroup"]] == ["1", "2", "3", "4", "5", "6"]
    assert [r["key"] for r in data["byStars"]] == ["3", "4", "5"]
    assert [r["key"] for r in data["byWard"]] == sorted(r["key"] for r in data["byWard"])


def test_the_expiry_date_is_the_last_valid_day(sample_register, graphql):
    # 023 expires 14/09/2026: certified on that day, not the day after.
    on_expiry = graphql(QUERY, {"asOf": "2026-09-14"})["data"]["ocopCoverage"]
    day_after = graphql(QUERY, {"asOf": "2026-09-15"})["data"]["ocopCoverage"]
    assert on_expiry["certified"] == expected_figures(datetime.date(2026, 9, 14))["certified"]
    assert day_after["certified"] == expected_figures(datetime.date(2026, 9, 15))["certified"]
    assert any(r["han_hieu_luc"] == "14/09/2026" for r in read("registry.csv"))


def test_nothing_certified_gives_a_zero_share(db, graphql):
    data = graphql(QUERY, {"asOf": "2026-11-27"})["data"]["ocopCoverage"]
    assert (data["certified"], data["online"], data["share"]) == (0, 0, 0.0)
    assert data["byWard"] == data["byGroup"] == data["byStars"] == []


def test_as_of_defaults_to_today_in_vietnam(db, graphql):
    from django.utils import timezone

    data = graphql("{ ocopCoverage { asOf } }")["data"]["ocopCoverage"]
    assert data["asOf"] == timezone.localdate().isoformat()
    assert timezone.get_current_timezone_name() == "Asia/Ho_Chi_Minh"


@pytest.mark.django_db
def test_coverage_runs_in_a_constant_number_of_queries(
    sample_register, django_assert_max_num_queries
):
    from marketplace.coverage.services import compute_coverage

    with django_assert_max_num_queries(4):
        compute_coverage(REPORT_DAY, with_not_online=True)
