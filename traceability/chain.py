"""Tamper evidence of one lot: each event's EPCIS 2.0 form is hashed (CBV 2.0 event hash) and
names the digest of its lot's previous event, so the eventIDs themselves form the chain.

What is hashed is exactly the event as published in the lot's JSON-LD (less eventID,
recordTime and errorDeclaration, which the CBV algorithm leaves out), so anyone can recompute
each digest with GS1's own tools and follow `ocop:prevDigest` from event to event.
Changing any published field, or reordering or dropping events, breaks the chain; dropping the
last events is caught by the signed tree heads (traceability.checkpoints), not here.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import quote

from traceability import event_hash, vocab

GENESIS = ""  # prev_hash of a lot's first event
CONTEXT = [
    "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
    {"ocop": event_hash.NAMESPACES["ocop"]},
]


def lot_class(gtin: str, lot: str) -> str:
    """The lot as a GS1 Digital Link EPC class (canonical id.gs1.org form)."""
    return f"https://id.gs1.org/01/{gtin}/10/{quote(lot, safe='')}"


def _offset(text: str) -> datetime.timezone:
    sign = -1 if text.startswith("-") else 1
    hours, minutes = text[1:].split(":")
    return datetime.timezone(sign * datetime.timedelta(hours=int(hours), minutes=int(minutes)))


def local_time_text(event) -> str:
    moment = event.event_time.astimezone(_offset(event.event_tz_offset))
    return moment.isoformat(timespec="milliseconds")


def event_body(
    event, *, gtin: str, lot: str, attachment_hashes: list[str], refs: dict[int, str]
) -> dict:
    """The hashed EPCIS 2.0 event; `refs` maps pks of events it corrects to their eventIDs."""
    kind = event.event_type
    epc_class = lot_class(gtin, lot)
    element = {"epcClass": epc_class}
    if event.quantity is not None:
        element = {"epcClass": epc_class, "quantity": float(event.quantity), "uom": event.uom}
    body = {
        "type": kind,
        "eventTime": local_time_text(event),
        "eventTimeZoneOffset": event.event_tz_offset,
    }
    if kind == "TransformationEvent":
        body["outputQuantityList"] = [element]
        # Raw inputs carry no GS1 keys, so the lot's process id stands in for them.
        body["transformationID"] = f"urn:ocop:process:{gtin}:{quote(lot, safe='')}"
    elif kind == "AggregationEvent":
        body["action"] = event.action
        body["childQuantityList"] = [element]
    else:
        body["action"] = event.action
        body["quantityList"] = [element]
    body["bizStep"] = vocab.biz_step_uri(event.biz_step)
    if event.disposition:
        body["disposition"] = vocab.CBV_DISP_URI + event.disposition
    if event.ward_id:
        body["bizLocation"] = {"id": f"urn:ocop:ward:{event.ward_id}"}
    body["ocop:actor"] = event.actor
    if event.actor_is_inspector:
        body["ocop:actorRole"] = "inspector"
    if event.place:
        body["ocop:place"] = event.place
    if event.note:
        body["ocop:note"] = event.note
    if event.corrects_id:
        body["ocop:corrects"] = refs[event.corrects_id]
    if event.declares_error_on_id:
        body["ocop:declaresErrorOn"] = refs[event.declares_error_on_id]
        body["ocop:errorReason"] = vocab.CBV_ERROR_REASON_URI + event.error_reason
    if attachment_hashes:
        body["ocop:attachmentSha256"] = sorted(attachment_hashes)
    if event.prev_hash:
        body["ocop:prevDigest"] = event_hash.hash_id(event.prev_hash)
    return body


def event_digest(
    event, *, gtin: str, lot: str, attachment_hashes: list[str], refs: dict[int, str]
) -> str:
    body = event_body(event, gtin=gtin, lot=lot, attachment_hashes=attachment_hashes, refs=refs)
    return event_hash.digest(body)


@dataclass(frozen=True)
class ChainStatus:
    valid: bool
    checked: int
    head: str  # digest of the last event that checks out, "" for an empty lot
    broken_at: int | None = None  # seq of the first event that does not check out
    reason: str = ""
    digests: tuple[str, ...] = ()  # digest of each valid event, in order (seq = index + 1)


def verify_events(events, *, gtin: str, lot: str, attachments: dict[int, list[str]]) -> ChainStatus:
    """Recompute a lot's chain from its events in seq order (attachments: event pk → sha256s)."""
    previous = GENESIS
    refs: dict[int, str] = {}
    digests: list[str] = []

    def broken(seq: int, reason: str) -> ChainStatus:
        return ChainStatus(False, len(digests), previous, seq, reason, tuple(digests))

    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return broken(event.seq, "missing_event")
        if event.prev_hash != previous:
            return broken(event.seq, "broken_link")
        try:
            recomputed = event_digest(
                event,
                gtin=gtin,
                lot=lot,
                attachment_hashes=attachments.get(event.pk, []),
                refs=refs,
            )
        except (KeyError, ValueError):  # names an event outside the chain, or unhashable
            return broken(event.seq, "content_changed")
        if recomputed != event.hash or event.event_id != event_hash.hash_id(event.hash):
            return broken(event.seq, "content_changed")
        previous = event.hash
        refs[event.pk] = event.event_id
        digests.append(event.hash)
    return ChainStatus(True, len(digests), previous, digests=tuple(digests))
