"""A lot's events as an EPCIS 2.0 JSON-LD document (ratified EPCIS 2.0 / CBV 2.0).

Each event is exactly the body that chain.py hashes, plus what the CBV hash leaves out:
eventID (the event hash ID itself), recordTime and, for an error declaration, the EPCIS
errorDeclaration — which repeats the eventID of the event it declares wrong.
"""

import datetime

from django.utils import timezone

from traceability import chain
from traceability.selectors import gtin14
from traceability.verification import Trace

CONTEXT = chain.CONTEXT


def utc_text(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def published_event(event, *, gtin: str, lot: str, corrections: dict[int, list[str]]) -> dict:
    refs = {}
    if event.corrects_id:
        refs[event.corrects_id] = event.corrects.event_id
    if event.declares_error_on_id:
        refs[event.declares_error_on_id] = event.declares_error_on.event_id
    body = chain.event_body(
        event,
        gtin=gtin,
        lot=lot,
        attachment_hashes=[a.sha256 for a in event.attachments.all()],
        refs=refs,
    )
    doc = {
        "type": body.pop("type"),
        "eventID": event.event_id,
        "recordTime": utc_text(event.record_time),
    }
    doc.update(body)
    if event.declares_error_on_id:
        original = event.declares_error_on
        doc["eventID"] = original.event_id
        doc["errorDeclaration"] = {
            "declarationTime": utc_text(event.record_time),
            "reason": body["ocop:errorReason"],
            "correctiveEventIDs": corrections.get(original.pk, []),
        }
    return doc


def event_list(trace: Trace) -> list[dict]:
    gtin, lot = gtin14(trace.batch.product), trace.batch.lot
    corrections: dict[int, list[str]] = {}
    for event in trace.events:
        if event.corrects_id:
            corrections.setdefault(event.corrects_id, []).append(event.event_id)
    return [published_event(e, gtin=gtin, lot=lot, corrections=corrections) for e in trace.events]


def document(trace: Trace, integrity: dict | None = None) -> dict:
    doc = {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": utc_text(timezone.now()),
        "epcisBody": {"eventList": event_list(trace)},
    }
    if integrity is not None:
        doc["ocop:integrity"] = integrity
    return doc
