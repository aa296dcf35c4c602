"""Every published document against the ratified EPCIS 2.0 artefacts, and every event ID
against GS1's reference implementation of the CBV 2.0 event hash."""

import datetime
import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest

from tests.services import need
from tests.traceability.conftest import SAMPLE_LOT, VN, event_data
from traceability import epcis, event_hash, verification
from traceability.events import correct_event
from traceability.models import Batch, Event
from traceability.selectors import find_batch, lot_events

pytestmark = pytest.mark.django_db
HERE = Path(__file__).parent
SCHEMA = json.loads((HERE / "EPCIS-JSON-Schema.json").read_text())
CONTEXT = json.loads((HERE / "epcis-context.jsonld").read_text())


def _reference(documents: list[dict]) -> list[dict]:
    """GS1's epcis-event-hash-generator and PyLD, in their own interpreter (.ci/services/
    epcis-hash.sh): they bring lxml, which must not change the project's environment."""
    python = os.environ.get("EPCIS_HASH_PYTHON", "")
    need(
        bool(python) and Path(python).exists(),
        "needs GS1's epcis-event-hash-generator: set EPCIS_HASH_PYTHON (see .ci/services)",
    )
    result = subprocess.run(
        [python, str(HERE / "gs1_reference.py")],
        input=json.dumps({"context": CONTEXT, "documents": documents}),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def _documents():
    """Every sample lot's document, plus one with a correction and an error declaration."""
    batch = find_batch("8933810630018", SAMPLE_LOT)
    original = lot_events(batch)[-1]
    correct_event(
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
        trace = verification.trace(batch)
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
    pairs = [(trace, doc) for trace, doc in _documents() if trace.events]
    answers = _reference([doc for _, doc in pairs])
    events = 0
    for (trace, document), answer in zip(pairs, answers, strict=True):
        assert answer["hashes"] == [event_hash.hash_id(e.hash) for e in trace.events]
        for published, record in zip(document["epcisBody"]["eventList"], trace.events, strict=True):
            if "errorDeclaration" not in published:
                assert published["eventID"] == record.event_id
        events += len(answer["hashes"])
    assert events == Event.objects.count() > 690  # every event, the correction's too
    expanded = json.dumps(answers[0]["expanded"])  # offline JSON-LD with the official context
    assert "https://ref.gs1.org/epcis/EPCISDocument" in expanded
    assert "urn:ocop:ns:actor" in expanded and "urn:ocop:ns:prevDigest" in expanded
