import json
from pathlib import Path

import jsonschema
import pytest

from tests.traceability.conftest import (
    SAMPLE_GTIN,
    SAMPLE_LOT,
    SERIALISED_GTIN,
    SERIALISED_LOT,
    tamper,
)
from traceability.events import correct_event, record_event
from traceability.selectors import find_batch, lot_events

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "EPCIS-JSON-Schema.json").read_text())
PAGE = f"/01/0{SAMPLE_GTIN}/10/{SAMPLE_LOT}"


def test_trace_page_in_vietnamese_by_default(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):  # + the signed heads and the log's leaves
        response = client.get(PAGE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "HTX Thủy sản An Phú" in html
    for step in ("Thu hoạch, thu mua nguyên liệu", "Chế biến", "Kiểm nghiệm", "Đóng gói"):
        assert step in html
    assert "Đã kiểm nghiệm" in html  # the inspection body's own event
    assert "Lịch sử nguyên vẹn" in html
    assert "THU HỒI" not in html
    assert "<script" not in html  # light: no JavaScript at all
    assert len(response.content) < 30_000
    assert "Accept" in response["Vary"]


def test_gtin13_is_accepted_and_english_is_offered(client):
    response = client.get(f"/01/{SAMPLE_GTIN}/10/{SAMPLE_LOT}?lang=en")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in html
    assert "Packing" in html and "Inspected" in html
    by_header = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="en">' in by_header.content.decode()


def test_wrong_check_digit_is_a_400_page(client):
    response = client.get(f"/01/0893381063001{9}/10/{SAMPLE_LOT}")
    assert response.status_code == 400
    assert "Mã sản phẩm không hợp lệ" in response.content.decode()
    assert client.get(f"/01/12345/10/{SAMPLE_LOT}").status_code == 400
    assert client.get(f"/01/{SAMPLE_GTIN}/10/L%C3%94").status_code == 400  # "LÔ"


def test_unknown_lot_is_a_404_page_that_says_how_to_report(client):
    response = client.get(f"/01/0{SAMPLE_GTIN}/10/NOPE42")
    assert response.status_code == 404
    html = response.content.decode()
    assert "chưa được biết" in html and "NOPE42" in html
    assert "Báo nghi ngờ hàng giả" in html


def test_genuine_and_forged_serials(client):
    batch = find_batch(SERIALISED_GTIN, SERIALISED_LOT)
    serial = batch.unit_serials.first().serial
    base = f"/01/0{SERIALISED_GTIN}/10/{SERIALISED_LOT}/21/"
    genuine = client.get(base + serial)
    assert genuine.status_code == 200 and "Mã chính hãng" in genuine.content.decode()
    forged = client.get(base + "ZZZZZZZZZZ")
    assert forged.status_code == 404
    assert "không phải là mã chính hãng" in forged.content.decode()
    # a serial on a lot that is not serialised is no more genuine
    assert client.get(PAGE + "/21/" + serial).status_code == 404


def test_recall_banner_appears_with_a_recalled_disposition(client, sample_batch):
    import datetime

    from tests.traceability.conftest import VN, event_data

    record_event(
        sample_batch,
        event_data(
            datetime.datetime(2026, 11, 26, 15, tzinfo=VN),
            action="OBSERVE",
            biz_step="holding",
            disposition="recalled",
        ),
    )
    assert "THU HỒI" in client.get(PAGE).content.decode()


def test_tampering_shows_on_the_page(client, sample_batch):
    with tamper() as cursor:
        cursor.execute(
            "UPDATE traceability_event SET note = 'x' WHERE batch_id = %s AND seq = 1",
            [sample_batch.pk],
        )
    html = client.get(PAGE).content.decode()
    assert "Lịch sử bị sửa" in html and "Chuỗi băm hỏng từ sự kiện thứ 1" in html


def test_json_ld_validates_against_the_epcis_2_schema(client, sample_batch):
    import datetime

    from tests.traceability.conftest import VN, event_data

    original = lot_events(sample_batch)[-1]
    correct_event(
        original,
        event_data(
            datetime.datetime(2026, 7, 27, 15, tzinfo=VN),
            action="OBSERVE",
            biz_step="shipping",
            disposition="in_transit",
        ),
    )
    response = client.get(PAGE, HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    document = response.json()
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    events = document["epcisBody"]["eventList"]
    assert len(events) == 7
    assert events[0]["bizStep"] == "https://ref.gs1.org/cbv/BizStep-commissioning"
    assert events[0]["eventTime"] == "2026-06-20T06:30:00.000+07:00"
    assert events[0]["quantityList"][0] == {
        "epcClass": f"https://id.gs1.org/01/0{SAMPLE_GTIN}/10/{SAMPLE_LOT}",
        "quantity": 54.0,
        "uom": "KGM",
    }
    assert events[1]["type"] == "TransformationEvent" and "outputQuantityList" in events[1]
    declaration = events[-1]
    assert declaration["eventID"] == original.urn
    assert declaration["errorDeclaration"]["correctiveEventIDs"] == [events[-2]["eventID"]]


@pytest.mark.parametrize(
    "change",
    [
        {"schemaVersion": 2.0},  # a number, as before the fix
        {"isA": "EPCISDocument"},  # the pre-ratification key
    ],
)
def test_ratified_schema_rejects_what_the_drafts_allowed(client, change):
    document = client.get(PAGE, HTTP_ACCEPT="application/ld+json").json()
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {**document, **change}, SCHEMA, format_checker=jsonschema.FormatChecker()
        )
