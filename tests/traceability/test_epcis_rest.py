"""EPCIS 2.0 REST: capture with a producer's token (schema-validated, all-or-nothing, 202 +
capture job) and the public event query (filters, paging, only what trace pages show)."""

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from django.test import Client

from producers.models import Producer
from producers.tokens import services as tokens
from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT
from traceability import event_hash
from traceability.models import CaptureJob, Event
from traceability.selectors import find_batch, lot_events
from traceability.verification import verify_batch

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((Path(__file__).parent / "EPCIS-JSON-Schema.json").read_text())
LOT_CLASS = f"https://id.gs1.org/01/0{SAMPLE_GTIN}/10/{SAMPLE_LOT}"


def _document(*events):
    return {
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-27T02:00:00.000Z",
        "epcisBody": {"eventList": list(events)},
    }


def _event(**overrides):
    event = {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:8f1d7c2e-8a1b-4c1e-9d6f-0a1b2c3d4e5f",
        "eventTime": "2026-11-26T09:00:00.000+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "bizStep": "https://ref.gs1.org/cbv/BizStep-receiving",
        "disposition": "https://ref.gs1.org/cbv/Disp-in_progress",
        "quantityList": [{"epcClass": LOT_CLASS, "quantity": 20, "uom": "EA"}],
    }
    event.update(overrides)
    return event


@pytest.fixture
def token(db):
    return tokens.create_token(Producer.objects.get(code="AG0001"), "ERP").secret


def _capture(document, secret, content_type="application/ld+json"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    return Client(enforce_csrf_checks=True).post(
        "/epcis/capture", json.dumps(document), content_type=content_type, **headers
    )


def test_capture_appends_to_the_lots_chain_and_reports_a_job(token, sample_batch):
    before = Event.objects.filter(batch=sample_batch).count()
    response = _capture(_document(_event(**{"ocop:note": "Nhận 20 hộp từ ERP"})), token)
    assert response.status_code == 202
    job = Client().get(response["Location"], HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert job["success"] is True and job["running"] is False and job["eventsCaptured"] == 1
    event = Event.objects.filter(batch=sample_batch).order_by("-seq").first()
    assert event.seq == before + 1 and event.note == "Nhận 20 hộp từ ERP"
    assert event.actor == "HTX Thủy sản An Phú"  # always in the producer's name
    assert event.event_id == event_hash.hash_id(event.hash)
    assert verify_batch(sample_batch).valid
    again = _capture(_document(_event()), token)  # the same eventID again: a no-op
    assert (
        again.status_code == 202 and Event.objects.filter(batch=sample_batch).count() == before + 1
    )


def test_capture_is_all_or_nothing(token, sample_batch):
    before = Event.objects.count()
    good = _event(eventID="urn:uuid:11111111-1111-4111-8111-111111111111")
    future = _event(
        eventID="urn:uuid:22222222-2222-4222-8222-222222222222",
        eventTime="2099-01-01T00:00:00.000+07:00",
    )
    response = _capture(_document(good, future), token)
    assert response.status_code == 202
    job = CaptureJob.objects.get()
    assert job.success is False and job.errors[0]["code"] == "EVENT_IN_FUTURE"
    assert "sự kiện 2" in job.errors[0]["message"]
    assert Event.objects.count() == before


def test_a_token_writes_only_its_own_producers_lots(token):
    other = find_batch("8935831850017", "L260619A")  # another producer's lot
    assert other.product.producer.code != "AG0001"
    before = Event.objects.count()
    foreign = _event(
        quantityList=[{"epcClass": f"https://id.gs1.org/01/0{other.product.gtin}/10/{other.lot}"}]
    )
    _capture(_document(foreign), token)
    job = CaptureJob.objects.get()
    assert not job.success and job.errors[0]["code"] == "NOT_FOUND"
    assert Event.objects.count() == before


@pytest.mark.parametrize(
    "change, status",
    [
        ({"schemaVersion": 2.0}, 400),
        ({"epcisBody": {"eventList": [{"type": "ObjectEvent"}]}}, 400),
        ({"type": "Nonsense"}, 400),
    ],
)
def test_capture_refuses_documents_the_schema_refuses(token, change, status):
    before = Event.objects.count()
    response = _capture({**_document(_event()), **change}, token)
    assert response.status_code == status
    assert response.json()["type"] == "epcisException:ValidationException"
    assert Event.objects.count() == before and not CaptureJob.objects.exists()


def test_capture_needs_a_token_and_json(token, client, django_user_model):
    assert _capture(_document(_event()), None).status_code == 401
    assert _capture(_document(_event()), "ocop_bad_token").status_code == 401
    assert _capture(_document(_event()), token, content_type="text/plain").status_code == 415
    owner_session = Client(enforce_csrf_checks=True)
    owner_session.force_login(django_user_model.objects.create_user("x", is_staff=True))
    response = owner_session.post("/epcis/capture", "{}", content_type="application/json")
    assert response.status_code == 401  # a session is not a producer's system


def test_capture_jobs_are_private_to_their_producer(token):
    location = _capture(_document(_event()), token)["Location"]
    other = tokens.create_token(Producer.objects.get(code="AG0003"), "x").secret
    assert Client().get(location, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
    assert Client().get(location).status_code == 401


# ---------------------------------------------------------------- query


def _query(client, **params):
    response = client.get("/epcis/events", params)
    assert response.status_code == 200, response.content[:300]
    document = response.json()
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    return response, document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


def test_query_filters_by_lot_step_and_time(client, sample_batch):
    _, events = _query(client, MATCH_epcClass=LOT_CLASS)
    assert [e["eventID"] for e in events] == [e.event_id for e in lot_events(sample_batch)]
    _, steps = _query(client, MATCH_epcClass=LOT_CLASS, EQ_bizStep="packing|shipping")
    assert {e["bizStep"].rsplit("-", 1)[1] for e in steps} == {"packing", "shipping"}
    first = lot_events(sample_batch)[1].event_time.isoformat()
    _, later = _query(client, MATCH_epcClass=LOT_CLASS, GE_eventTime=first)
    assert len(later) == len(events) - 1
    _, earlier = _query(client, MATCH_epcClass=LOT_CLASS, LT_eventTime=first)
    assert len(earlier) == 1
    _, by_gtin = _query(client, MATCH_epcClass=f"https://id.gs1.org/01/0{SAMPLE_GTIN}")
    assert len(by_gtin) >= len(events)


def test_match_epc_finds_a_serialised_units_lot(client):
    batch = find_batch("8935831850017", "L260619A")
    serial = batch.unit_serials.first().serial
    uri = f"https://id.gs1.org/01/0{batch.product.gtin}/10/{batch.lot}/21/{serial}"
    _, events = _query(client, MATCH_epc=uri)
    assert len(events) == batch.events.count() > 0
    _, none = _query(client, MATCH_epc=uri.replace(serial, "NOTREAL999"))
    assert none == []


def test_query_pages_with_next_page_token_and_link_header(client, django_assert_max_num_queries):
    seen = []
    params = {"perPage": "50"}
    pages = 0
    while True:
        with django_assert_max_num_queries(5):
            response, events = _query(client, **params)
        seen += [e["eventID"] + e.get("ocop:prevDigest", "") for e in events]
        pages += 1
        if "Link" not in response:
            break
        link = response["Link"]
        assert link.endswith('>; rel="next"')
        params["nextPageToken"] = link.split("nextPageToken=")[1].split(">")[0].split("&")[0]
    assert len(seen) == len(set(seen)) == Event.objects.count() and pages > 1


@pytest.mark.parametrize(
    "params",
    [
        {"perPage": "0"},
        {"perPage": "1000"},
        {"nextPageToken": "garbage"},
        {"EQ_foo": "x"},
        {"GE_eventTime": "yesterday"},
        {"MATCH_epcClass": "urn:epc:class:lgtin:1.2.3"},
        {"MATCH_epcClass": "https://id.gs1.org/01/08933810630019"},
    ],
)
def test_bad_query_parameters_are_400(client, params):
    response = client.get("/epcis/events", params)
    assert response.status_code == 400
    assert response.json()["type"] == "epcisException:QueryParameterException"


def test_query_shows_exactly_what_the_trace_page_shows(client, sample_batch):
    page = client.get(f"/01/0{SAMPLE_GTIN}/10/{SAMPLE_LOT}", HTTP_ACCEPT="application/ld+json")
    published = page.json()["epcisBody"]["eventList"]
    _, events = _query(client, MATCH_epcClass=LOT_CLASS)
    assert events == published
    assert copy.deepcopy(events) == published
