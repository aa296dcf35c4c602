import datetime

import pytest
from django.utils import timezone

from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT, SERIALISED_GTIN, SERIALISED_LOT
from traceability import scans
from traceability.lots import BatchData, create_batch
from traceability.models import FlagRule, Scan, ScanFlag, SuspectReport
from traceability.selectors import find_batch

pytestmark = pytest.mark.django_db
T0 = datetime.datetime(2026, 11, 20, 8, 0, tzinfo=datetime.UTC)
LONG_XUYEN = (10.3759, 105.4185)
HA_NOI = (21.0285, 105.8542)


@pytest.fixture
def serial_batch():
    return find_batch(SERIALISED_GTIN, SERIALISED_LOT)


def _rules(batch):
    return set(ScanFlag.objects.filter(batch=batch).values_list("rule", flat=True))


def test_scans_keep_no_location_without_consent(serial_batch):
    unit = serial_batch.unit_serials.first()
    scan = scans.record_scan(
        serial_batch, unit.serial, scans.ScanData(region="VN", location=HA_NOI), now=T0
    )
    assert scan.latitude is None and scan.longitude is None
    kept = scans.record_scan(
        serial_batch,
        unit.serial,
        scans.ScanData(location=LONG_XUYEN, consent=True),
        now=T0,
    )
    assert (float(kept.latitude), float(kept.longitude)) == (10.38, 105.42)  # ~1 km


def test_a_normal_history_raises_no_flag(serial_batch):
    unit = serial_batch.unit_serials.first()
    for hours in (0, 5, 30):
        scans.record_scan(
            serial_batch,
            unit.serial,
            scans.ScanData(location=LONG_XUYEN, consent=True),
            now=T0 + datetime.timedelta(hours=hours),
        )
    assert _rules(serial_batch) == set()


def test_scanned_after_being_sold_elsewhere(serial_batch):
    unit = serial_batch.unit_serials.first()
    scans.mark_unit_sold(unit, "An Giang", when=T0)
    scans.record_scan(serial_batch, unit.serial, scans.ScanData(region="An Giang"), now=T0)
    assert _rules(serial_batch) == set()
    scans.record_scan(
        serial_batch,
        unit.serial,
        scans.ScanData(region="Hà Nội"),
        now=T0 + datetime.timedelta(days=2),
    )
    assert _rules(serial_batch) == {FlagRule.SOLD_ELSEWHERE}


def test_far_apart_places_within_hours(serial_batch):
    unit = serial_batch.unit_serials.first()
    scans.record_scan(
        serial_batch, unit.serial, scans.ScanData(location=LONG_XUYEN, consent=True), now=T0
    )
    scans.record_scan(
        serial_batch,
        unit.serial,
        scans.ScanData(location=HA_NOI, consent=True),
        now=T0 + datetime.timedelta(hours=3),
    )
    flag = ScanFlag.objects.get(batch=serial_batch)
    assert flag.rule == FlagRule.FAR_APART and flag.unit == unit
    assert "km" in flag.detail


def test_scanned_far_more_often_than_normal(serial_batch):
    unit = serial_batch.unit_serials.first()
    for minute in range(scans.OFTEN_COUNT + 1):
        scans.record_scan(
            serial_batch, unit.serial, scans.ScanData(), now=T0 + datetime.timedelta(minutes=minute)
        )
    assert _rules(serial_batch) == {FlagRule.TOO_OFTEN}
    assert ScanFlag.objects.count() == 1  # raised once, not on every later scan


def test_lot_scanned_more_times_than_it_has_units(db):
    from marketplace.catalog.models import Product

    batch, _ = create_batch(
        BatchData(
            Product.objects.get(gtin=SAMPLE_GTIN), "TINY", datetime.date(2026, 11, 1), None, 2
        )
    )
    for _ in range(3):
        scans.record_scan(batch, None, scans.ScanData(), now=T0)
    assert _rules(batch) == {FlagRule.OVER_UNITS}


def test_page_logs_the_scan_and_warns_gently(client, serial_batch):
    unit = serial_batch.unit_serials.first()
    url = f"/01/0{SERIALISED_GTIN}/10/{SERIALISED_LOT}/21/{unit.serial}"
    response = client.get(
        url, HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 9)", HTTP_CF_IPCOUNTRY="VN"
    )
    assert "dấu hiệu bất thường" not in response.content.decode()
    scan = Scan.objects.get(unit=unit)
    assert scan.region == "VN" and scan.user_agent.startswith("Mozilla") and scan.genuine
    for _ in range(scans.OFTEN_COUNT):
        response = client.get(url)
    assert "dấu hiệu bất thường" in response.content.decode()
    # JSON-LD requests are machines, not scans
    client.get(url, HTTP_ACCEPT="application/ld+json")
    assert Scan.objects.filter(unit=unit).count() == scans.OFTEN_COUNT + 1


def test_forged_serial_scans_are_logged_and_flagged(client, serial_batch):
    client.get(f"/01/0{SERIALISED_GTIN}/10/{SERIALISED_LOT}/21/FAKE123")
    assert Scan.objects.get(batch=serial_batch).genuine is False
    assert _rules(serial_batch) == {FlagRule.FORGED_SERIAL}


def test_report_a_suspected_fake(client):
    response = client.post(
        "/truy-xuat/bao-gia-mao",
        {
            "gtin": f"0{SAMPLE_GTIN}",
            "lot": SAMPLE_LOT,
            "message": "Tem in mờ, nắp không có niêm phong",
            "where_bought": "Chợ X",
        },
    )
    assert response.status_code == 200 and "Cảm ơn" in response.content.decode()
    report = SuspectReport.objects.get()
    assert report.batch == find_batch(SAMPLE_GTIN, SAMPLE_LOT)
    empty = client.post("/truy-xuat/bao-gia-mao", {"gtin": "1", "lot": "x", "message": ""})
    assert empty.status_code == 400 and SuspectReport.objects.count() == 1
    assert client.get("/truy-xuat/bao-gia-mao").status_code == 405


def test_only_the_producer_and_staff_see_flags(client, graphql, serial_batch):
    from django.contrib.auth import get_user_model

    from producers.models import Membership

    client.get(f"/01/0{SERIALISED_GTIN}/10/{SERIALISED_LOT}/21/FAKE123")
    query = """query($gtin: String!, $lot: String!) {
      traceBatch(gtin: $gtin, lot: $lot) { flags { rule serial detail } } }"""
    variables = {"gtin": SERIALISED_GTIN, "lot": SERIALISED_LOT}
    assert graphql(query, variables)["data"]["traceBatch"]["flags"] is None
    owner = get_user_model().objects.create_user("owner", password="x-Strong-pass-1")
    Membership.objects.create(user=owner, producer=serial_batch.product.producer, role="owner")
    client.force_login(owner)
    flags = graphql(query, variables)["data"]["traceBatch"]["flags"]
    assert [f["rule"] for f in flags] == ["forged_serial"]


def test_marking_a_unit_sold_through_the_api_arms_the_rule(client, graphql, serial_batch):
    from django.contrib.auth import get_user_model

    from producers.models import Membership

    unit = serial_batch.unit_serials.first()
    mutation = """mutation($g: String!, $l: String!, $s: String!) {
      unitMarkSold(gtin: $g, lot: $l, serial: $s, region: "An Giang") {
        serial soldAt errors { field code } } }"""
    variables = {"g": SERIALISED_GTIN, "l": SERIALISED_LOT, "s": unit.serial}
    denied = graphql(mutation, variables)["data"]["unitMarkSold"]
    assert denied["errors"] == [{"field": None, "code": "UNAUTHENTICATED"}]
    owner = get_user_model().objects.create_user("owner", password="x-Strong-pass-1")
    Membership.objects.create(user=owner, producer=serial_batch.product.producer, role="owner")
    client.force_login(owner)
    sold = graphql(mutation, variables)["data"]["unitMarkSold"]
    assert sold["errors"] == [] and sold["serial"] == unit.serial
    forged = graphql(mutation, {**variables, "s": "NOPE"})["data"]["unitMarkSold"]
    assert forged["errors"] == [{"field": "serial", "code": "NOT_FOUND"}]
    scans.record_scan(
        serial_batch,
        unit.serial,
        scans.ScanData(region="Hà Nội"),
        now=timezone.now() + datetime.timedelta(days=1),
    )
    assert _rules(serial_batch) == {FlagRule.SOLD_ELSEWHERE}
