"""The chains as they were before CBV 2.0 event hash IDs, kept only so `rechain_trace_events`
can check each old chain before re-chaining it (never used to vouch for anything).

Each event's canonical JSON is hashed and chained to its lot's previous event.

Canonical form: every field that means something (not the database id), strings NFC-normalised,
times in UTC with microseconds, decimals with three places, keys sorted, no spaces, UTF-8.
Changing any of them in the database, or reordering or dropping events, breaks the chain.
"""

import datetime
import hashlib
import json
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

GENESIS = ""  # prev_hash of a lot's first event


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value or "")


def canonical_fields(
    event, *, gtin: str, lot: str, attachment_hashes: list[str], refs: dict[int, str]
) -> dict:
    """The hashed content of an event; `gtin`/`lot` are its lot's, passed in to save queries.

    Events it corrects are named by their eventId (`refs`: pk → eventId), not by database ids,
    so the hash means the same in every copy of the data.
    """
    quantity = event.quantity
    return {
        "gtin": gtin,
        "lot": _text(lot),
        "seq": event.seq,
        "eventId": str(event.event_id),
        "sourceRef": _text(event.source_ref),
        "eventType": event.event_type,
        "action": event.action,
        "bizStep": _text(event.biz_step),
        "disposition": _text(event.disposition),
        "eventTime": _utc(event.event_time),
        "eventTimeZoneOffset": event.event_tz_offset,
        "recordTime": _utc(event.record_time),
        "ward": event.ward_id or "",
        "place": _text(event.place),
        "actor": _text(event.actor),
        "actorIsInspector": bool(event.actor_is_inspector),
        "quantity": None if quantity is None else str(Decimal(quantity).quantize(Decimal("0.001"))),
        "uom": event.uom,
        "note": _text(event.note),
        "corrects": refs.get(event.corrects_id, "") if event.corrects_id else "",
        "declaresErrorOn": (
            refs.get(event.declares_error_on_id, "") if event.declares_error_on_id else ""
        ),
        "errorReason": event.error_reason,
        "attachments": sorted(attachment_hashes),
        "prevHash": event.prev_hash,
    }


def canonical_json(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_hash(
    event, *, gtin: str, lot: str, attachment_hashes: list[str], refs: dict[int, str]
) -> str:
    fields = canonical_fields(
        event, gtin=gtin, lot=lot, attachment_hashes=attachment_hashes, refs=refs
    )
    return hashlib.sha256(canonical_json(fields)).hexdigest()


@dataclass(frozen=True)
class ChainStatus:
    valid: bool
    checked: int
    head: str  # hash of the last event, "" for an empty lot
    broken_at: int | None = None  # seq of the first event that does not check out
    reason: str = ""


def verify_events(events, *, gtin: str, lot: str, attachments: dict[int, list[str]]) -> ChainStatus:
    """Recompute a lot's chain from its events in seq order (attachments: event pk → sha256s)."""
    previous = GENESIS
    refs: dict[int, str] = {}
    expected_seq = 1
    checked = 0
    for event in events:
        if event.seq != expected_seq:
            return ChainStatus(False, checked, previous, event.seq, "missing_event")
        if event.prev_hash != previous:
            return ChainStatus(False, checked, previous, event.seq, "broken_link")
        recomputed = event_hash(
            event, gtin=gtin, lot=lot, attachment_hashes=attachments.get(event.pk, []), refs=refs
        )
        if recomputed != event.hash:
            return ChainStatus(False, checked, previous, event.seq, "content_changed")
        previous = event.hash
        refs[event.pk] = str(event.event_id)
        expected_seq += 1
        checked += 1
    return ChainStatus(True, checked, previous)
