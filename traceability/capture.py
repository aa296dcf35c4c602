"""EPCIS 2.0 capture: a producer's system sends a JSON-LD document of events about its lots.

The document is validated against the ratified schema, then every event is appended to its
lot's chain through services.record_member_event — the same path as the portal — inside one
transaction: one bad event and nothing of the document is recorded.
"""

import datetime
import json
import secrets
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import jsonschema
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.errors import DomainError, ValidationFailed, camel_field
from traceability import vocab
from traceability.errors import TraceError
from traceability.events import EventData, record_member_event
from traceability.models import CaptureJob
from traceability.selectors import batch_for_member

SCHEMA_PATH = Path(__file__).parent / "standards" / "EPCIS-JSON-Schema.json"
MAX_EVENTS = 500
_LOT_CLASS = "https://id.gs1.org/01/"


@cache
def _validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA_PATH.read_text())
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def schema_errors(document) -> list[str]:
    """Why the document is not a valid EPCIS 2.0 document (empty when it is)."""
    if not isinstance(document, dict) or document.get("type") != "EPCISDocument":
        return ["not an EPCISDocument"]
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '(document)'}: {e.message}"
        for e in list(_validator().iter_errors(document))[:20]
    ]


def _short(uri: str, prefix: str) -> str:
    return uri.removeprefix(prefix) if isinstance(uri, str) else ""


def _lot_of(event: dict) -> tuple[str, str, dict]:
    """(gtin, lot, quantity element) of the one lot an event is about."""
    elements = [
        element
        for name in ("quantityList", "childQuantityList", "outputQuantityList")
        for element in event.get(name, [])
    ]
    classes = {element.get("epcClass", "") for element in elements}
    if len(classes) != 1 or event.get("epcList") or event.get("childEPCs"):
        raise DomainError(
            TraceError.UNSUPPORTED_EVENT,
            gettext("Mỗi sự kiện phải nói về đúng một lô (epcClass)."),
            "epcClass",
        )
    (epc_class,) = classes
    parts = epc_class.removeprefix(_LOT_CLASS).split("/")
    if not epc_class.startswith(_LOT_CLASS) or len(parts) != 3 or parts[1] != "10":
        raise DomainError(
            TraceError.UNSUPPORTED_EVENT,
            gettext("epcClass '%(epc_class)s' không phải https://id.gs1.org/01/GTIN/10/LÔ.")
            % {"epc_class": epc_class},
            "epcClass",
        )
    return parts[0], unquote(parts[2]), elements[0]


def _event_time(event: dict) -> datetime.datetime:
    moment = datetime.datetime.fromisoformat(event["eventTime"].replace("Z", "+00:00"))
    offset = event["eventTimeZoneOffset"]
    sign = -1 if offset.startswith("-") else 1
    hours, minutes = offset[1:].split(":")
    zone = datetime.timezone(sign * datetime.timedelta(hours=int(hours), minutes=int(minutes)))
    return moment.astimezone(zone)


def _event_data(event: dict, element: dict) -> EventData:
    biz_step = event.get("bizStep", "")
    biz_step = _short(biz_step, vocab.CBV_BIZSTEP_URI)
    quantity, uom = None, ""
    if "quantity" in element:
        try:
            quantity = Decimal(str(element["quantity"])).quantize(Decimal("0.001"))
        except InvalidOperation:
            raise DomainError(
                TraceError.INVALID_QUANTITY, gettext("Số lượng không hợp lệ."), "quantity"
            )
        uom = element.get("uom", "")
    location = (event.get("bizLocation") or {}).get("id", "")
    if location and not location.startswith("urn:ocop:ward:"):
        raise DomainError(
            TraceError.UNSUPPORTED_EVENT,
            gettext("bizLocation phải là urn:ocop:ward:<mã xã>."),
            "bizLocation",
        )
    return EventData(
        event_type=event["type"],
        action=event.get("action", ""),
        biz_step=biz_step,
        disposition=_short(event.get("disposition", ""), vocab.CBV_DISP_URI),
        event_time=_event_time(event),
        actor="",  # always the producer's name (record_member_event)
        ward_code=location.removeprefix("urn:ocop:ward:"),
        place=str(event.get("ocop:place", "")),
        quantity=quantity,
        uom=uom,
        note=str(event.get("ocop:note", "")),
        source_ref=str(event.get("eventID", ""))[:100],
    )


def _record_all(user, events: list[dict]) -> int:
    recorded = 0
    for number, event in enumerate(events, start=1):
        try:
            if event.get("type") not in vocab.EVENT_TYPES or "errorDeclaration" in event:
                raise DomainError(
                    TraceError.UNSUPPORTED_EVENT,
                    gettext("Chỉ nhận ObjectEvent, AggregationEvent, TransformationEvent."),
                    "type",
                )
            gtin, lot, element = _lot_of(event)
            data = _event_data(event, element)
            batch = batch_for_member(user, gtin, lot)
            if data.source_ref and batch.events.filter(source_ref=data.source_ref).exists():
                continue  # sent again: already recorded
            record_member_event(user, gtin, lot, data)
            recorded += 1
        except ValidationFailed as exc:
            raise ValidationFailed(
                [
                    DomainError(
                        e.code,
                        gettext("sự kiện %(number)s: %(message)s")
                        % {"number": number, "message": e.message},
                        e.field,
                    )
                    for e in exc.errors
                ]
            )
        except DomainError as exc:
            raise DomainError(
                exc.code,
                gettext("sự kiện %(number)s: %(message)s")
                % {"number": number, "message": exc.message},
                exc.field,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise DomainError(
                TraceError.INVALID_EVENT,
                gettext("sự kiện %(number)s: %(exc)s") % {"number": number, "exc": exc},
                "eventList",
            )
    return recorded


def capture(user, producer, document: dict) -> CaptureJob:
    """Record a schema-valid document all-or-nothing; the job says what happened."""
    started = timezone.now()
    events = document["epcisBody"]["eventList"]
    errors: list[dict] = []
    recorded = 0
    if len(events) > MAX_EVENTS:
        message = gettext("Tối đa %(max_events)s sự kiện.") % {"max_events": MAX_EVENTS}
        errors = [{"code": TraceError.TOO_MANY_EVENTS, "message": message}]
    else:
        try:
            with transaction.atomic():
                recorded = _record_all(user, events)
        except ValidationFailed as exc:
            errors = [
                {"code": e.code, "field": camel_field(e.field), "message": e.message}
                for e in exc.errors
            ]
        except DomainError as exc:
            errors = [{"code": exc.code, "field": camel_field(exc.field), "message": exc.message}]
    return CaptureJob.objects.create(
        capture_id=secrets.token_hex(16),
        producer=producer,
        created_at=started,
        finished_at=timezone.now(),
        success=not errors,
        events=recorded if not errors else 0,
        errors=errors,
    )
