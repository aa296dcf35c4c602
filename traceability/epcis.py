"""A lot's events as an EPCIS 2.0 JSON-LD document (GS1 EPCIS 2.0 / CBV 2.0).

Both `type` (EPCIS 2.0 as published) and `isA` (the JSON schema in GS1's repository, which
our tests validate against) name each object, so either kind of consumer can read it.
"""

import datetime
from urllib.parse import quote

from django.utils import timezone

from traceability import services, vocab
from traceability.models import EventType

CONTEXT = [
    "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
    {"ocop": "urn:ocop:ns:"},
]


def _time(moment: datetime.datetime, tz: datetime.tzinfo = datetime.UTC) -> str:
    return moment.astimezone(tz).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _quantity(event, lot_class: str, units: int) -> list[dict]:
    """The lot as an EPC class; an event without its own quantity concerns the whole lot."""
    if event.quantity is not None:
        return [{"epcClass": lot_class, "quantity": float(event.quantity), "uom": event.uom}]
    return [{"epcClass": lot_class, "quantity": units}]


def _event(event, *, lot_class: str, units: int, corrections: dict[int, list[str]]) -> dict:
    kind = event.event_type
    doc = {
        "type": kind,
        "isA": kind,
        "eventID": event.urn,
        "eventTime": _time(event.event_time, services.event_timezone(event)),
        "eventTimeZoneOffset": event.event_tz_offset,
        "recordTime": _time(event.record_time),
        "bizStep": vocab.biz_step_uri(event.biz_step),
        "ocop:actor": event.actor,
        "ocop:actorIsInspector": event.actor_is_inspector,
        "ocop:hash": event.hash,
        "ocop:prevHash": event.prev_hash,
    }
    quantities = _quantity(event, lot_class, units)
    if kind == EventType.TRANSFORMATION:
        # Raw inputs are not identified by GS1 keys, so the lot's process id stands in for them.
        doc["outputQuantityList"] = quantities
        doc["transformationID"] = lot_class.replace("https://id.gs1.org/", "urn:ocop:process:", 1)
    elif kind == EventType.AGGREGATION:
        doc["action"] = event.action
        doc["childQuantityList"] = quantities
    else:
        doc["action"] = event.action
        doc["quantityList"] = quantities
    if event.disposition:
        doc["disposition"] = vocab.CBV_DISP_URI + event.disposition
    if event.ward_id:
        doc["bizLocation"] = {"id": f"urn:ocop:ward:{event.ward_id}"}
    if event.note:
        doc["ocop:note"] = event.note
    if event.place:
        doc["ocop:place"] = event.place
    if event.corrects_id:
        doc["ocop:corrects"] = event.corrects.urn
    if event.declares_error_on_id:
        # EPCIS: an error declaration repeats the erroneous event under its own eventID.
        original = event.declares_error_on
        doc["eventID"] = original.urn
        doc["errorDeclaration"] = {
            "declarationTime": _time(event.record_time),
            "reason": vocab.CBV_ERROR_REASON_URI + event.error_reason,
            "correctiveEventIDs": corrections.get(original.pk, []),
        }
    return doc


def document(trace: services.Trace) -> dict:
    batch = trace.batch
    lot_class = (
        f"https://id.gs1.org/01/{services.gtin14(batch.product)}/10/{quote(batch.lot, safe='')}"
    )
    corrections: dict[int, list[str]] = {}
    for event in trace.events:
        if event.corrects_id:
            corrections.setdefault(event.corrects_id, []).append(event.urn)
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "isA": "EPCISDocument",
        "schemaVersion": 2.0,
        "creationDate": _time(timezone.now()),
        "ocop:chainValid": trace.status.valid,
        "epcisBody": {
            "eventList": [
                _event(e, lot_class=lot_class, units=batch.units, corrections=corrections)
                for e in trace.events
            ]
        },
    }
