"""Register import: a 50,000-row register, first import (all new) and re-import (no change)."""

import csv
import datetime
import io
import time

from django.db import connection

N_ROWS = 50_000
HEADERS = [
    "stt",
    "ten_san_pham",
    "chu_the",
    "xa_phuong",
    "phan_nhom",
    "so_sao",
    "so_chung_nhan",
    "quyet_dinh",
    "ngay_cap",
    "han_hieu_luc",
]


def synthetic_register_csv(n_rows: int, *, bom: bool = True) -> bytes:
    """A valid register of n_rows rows spread over every ward and product set, one in ten
    without a certificate number (so the name key is exercised too)."""
    from marketplace.addresses.models import Ward
    from marketplace.taxonomy.models import ProductSet

    wards = list(Ward.objects.filter(province_id="91").values_list("name", flat=True))
    sets = list(ProductSet.objects.values_list("code", flat=True))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    start = datetime.date(2024, 1, 1)
    for i in range(1, n_rows + 1):
        issued = start + datetime.timedelta(days=i % 900)
        expires = issued + datetime.timedelta(days=3 * 365)
        writer.writerow(
            [
                i,
                f"Sản phẩm thử {i}",
                f"Hộ kinh doanh Thử {i % 5000}",
                wards[i % len(wards)],
                sets[i % len(sets)],
                3 + i % 3,
                "" if i % 10 == 0 else f"{i:06d}/BENCH",
                f"{i}/QĐ-UBND",
                f"{issued:%d/%m/%Y}",
                f"{expires:%d/%m/%Y}",
            ]
        )
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def run() -> None:
    from marketplace.coverage.importers import import_register
    from marketplace.coverage.models import RegisterEntry
    from marketplace.coverage.services import compute_coverage

    data = synthetic_register_csv(N_ROWS)
    as_of = datetime.date(2026, 11, 27)
    for label in ("first import (all new)", "re-import (unchanged)"):
        started = time.perf_counter()
        report = import_register(data, "bench.csv", as_of=as_of)
        elapsed = time.perf_counter() - started
        assert report.written, report.summary()
        print(
            f"import_ocop_register {N_ROWS:,} rows, {label:<24} {elapsed:6.1f} s   "
            f"({RegisterEntry.objects.count():,} entries, {connection.vendor})"
        )
    started = time.perf_counter()
    coverage = compute_coverage(as_of, with_not_online=True)
    print(
        f"ocopCoverage over {coverage.certified:,} certified entries          "
        f"{(time.perf_counter() - started) * 1000:6.0f} ms"
    )
    _api_coverage(as_of)
    RegisterEntry.objects.all().delete()  # leave the bench database as the other benches expect


def _api_coverage(as_of: datetime.date) -> None:
    """The GraphQL ocopCoverage request: cold (computed) and warm (the day's cached figures,
    target ≤ 100 ms, issue 16)."""
    from django.core.cache import cache
    from django.test import Client

    from bench.timing import measure, row

    client = Client()
    body = {"query": COVERAGE_QUERY, "variables": {"asOf": as_of.isoformat()}}

    def request():
        response = client.post("/graphql/", body, content_type="application/json")
        assert response.status_code == 200 and "errors" not in response.json()

    cache.clear()
    started = time.perf_counter()
    request()
    cold = (time.perf_counter() - started) * 1000
    print(f"graphql ocopCoverage, cold (computed)          {cold:6.0f} ms")
    print(row("graphql ocopCoverage, warm (target ≤ 100 ms)", measure(request, repeat=30)))


COVERAGE_QUERY = """query($asOf: Date) { ocopCoverage(asOf: $asOf) { asOf certified online
  share target byWard { key label certified online share } byGroup { key label certified online
  share } byStars { key label certified online share } byProducerKind { key label certified
  online share } } }"""
