"""Every published document against the ratified EPCIS 2.0 artefacts, and every event ID
against GS1's reference implementation of the CBV 2.0 event hash."""

import copy
import datetime
import json
from pathlib import Path

import jsonschema
import pytest

from tests.services import need
from tests.traceability.conftest import SAMPLE_LOT, VN, event_data
from traceability import epcis, event_hash, services
from traceability.models import Batch, Event

pytestmark = pytest.mark.django_db
HERE = Path(__file__).parent
SCHEMA = json.loads((HERE / "EPCIS-JSON-Schema.json").read_text())
CONTEXT = json.loads((HERE / "epcis-context.jsonld").read_text())


def _offline_loader(url, options=None):
    """Serves the shipped official context; anything else would need the network: refused."""
    if url.rstrip("/") in {
        "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    }:
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": CONTEXT,
        }
    raise RuntimeError(f"offline: refused to fetch {url}")


def _reference():
    try:
        from epcis_event_hash_generator import hash_generator, json_to_py
        from pyld import jsonld
    except ImportError:
        need(False, "needs epcis-event-hash-generator (pip install '.[dev]')")
    jsonld.set_document_loader(_offline_loader)
    return json_to_py, hash_generator


def _documents():
    """Every sample lot's document, plus one with a correction and an error declaration."""
    batch = services.find_batch("8933810630018", SAMPLE_LOT)
    original = services.lot_events(batch)[-1]
    services.correct_event(
        original,
        event_data(
            datetime.datetime(2026, 7, 27, 15, tzinfo=VN),
            action="OBSERVE",
            biz_step="shipping",
            disposition="in_transit",
            place="Kho số 2",
        ),
    )
    for batch in Batch.objects.select_related("product").order_by("pk"):
        trace = services.trace(batch)
        yield trace, epcis.document(trace, {"status": "INTACT_UNANCHORED"})


def test_every_sample_document_validates_against_the_ratified_schema():
    checker = jsonschema.FormatChecker()
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=checker)
    count = 0
    for _, document in _documents():
        errors = list(validator.iter_errors(document))
        assert not errors, errors[0].message
        assert document["schemaVersion"] == "2.0" and document["type"] == "EPCISDocument"
        count += 1
    assert count == Batch.objects.count() == 148


def test_event_ids_are_the_cbv2_hashes_gs1_reference_code_computes():
    json_to_py, hash_generator = _reference()
    events = 0
    for trace, document in _documents():
        if not trace.events:
            continue
        parsed = json_to_py.event_list_from_epcis_document_json(copy.deepcopy(document))
        reference = hash_generator.epcis_hashes_from_events(parsed)
        assert reference == [event_hash.hash_id(e.hash) for e in trace.events]
        for published, record in zip(document["epcisBody"]["eventList"], trace.events, strict=True):
            if "errorDeclaration" not in published:
                assert published["eventID"] == record.event_id
        events += len(reference)
    assert events == Event.objects.count() > 690  # every event, the correction's too


def test_documents_expand_offline_with_the_official_context():
    _reference()
    from pyld import jsonld

    trace, document = next(_documents())
    expanded = jsonld.expand(document, {"documentLoader": _offline_loader})
    text = json.dumps(expanded)
    assert "https://ref.gs1.org/epcis/EPCISDocument" in text
    assert "urn:ocop:ns:actor" in text and "urn:ocop:ns:prevDigest" in text
