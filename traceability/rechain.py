"""Re-chaining history recorded before CBV 2.0 event hash IDs (`rechain_trace_events`).

Re-chaining rewrites every stored digest, which is exactly what tamper evidence forbids, so it
is done once and in the open: a lot is re-chained only if its old chain still verifies by the
old rules and still holds the head the newest old checkpoint signed for it (with a signature
that verifies); anything else is left untouched, and shows as broken. Every lot's old and new
heads are printed, for the record, and the next signed tree head anchors the new chains.
"""

import json
from dataclasses import dataclass

from django.db import connection, transaction

from traceability import chain, checkpoints, event_hash, guards, legacy_chain
from traceability.models import Batch, Event, LegacyCheckpoint
from traceability.selectors import gtin14, lot_events


@dataclass(frozen=True)
class Outcome:
    lot: str
    old_head: str
    new_head: str = ""
    refused: str = ""  # why the lot was left as it was


def _legacy_heads() -> tuple[dict, str]:
    newest = LegacyCheckpoint.objects.order_by("-day").first()
    if newest is None:
        return {}, ""
    if not checkpoints.verify_signature(
        newest.payload, newest.signature, checkpoints.public_key_raw()
    ):
        return {}, f"the old checkpoint of {newest.day} does not verify with the current key"
    return json.loads(newest.payload)["lots"], ""


def _legacy_lots():
    """Lots whose events still carry old (non CBV 2.0) ids."""
    ids = Event.objects.exclude(event_id__startswith="ni:///").values("batch_id").distinct()
    return Batch.objects.filter(pk__in=ids).select_related("product").order_by("pk")


def plan_and_apply(apply: bool) -> list[Outcome]:
    signed, key_problem = _legacy_heads()
    outcomes = []
    for batch in _legacy_lots():
        gtin = gtin14(batch.product)
        name = f"{gtin}/{batch.lot}"
        events = lot_events(batch)
        attachments = {e.pk: [a.sha256 for a in e.attachments.all()] for e in events}
        old = legacy_chain.verify_events(events, gtin=gtin, lot=batch.lot, attachments=attachments)
        refused = ""
        if key_problem:
            refused = key_problem
        elif not old.valid:
            refused = f"old chain broken at event #{old.broken_at} ({old.reason})"
        elif name.removeprefix("0") in signed or name in signed:
            entry = signed.get(name) or signed.get(name.removeprefix("0"))
            if entry["head"] and (
                entry["events"] > len(events) or events[entry["events"] - 1].hash != entry["head"]
            ):
                refused = "old chain no longer holds the head signed in the old checkpoint"
        if refused:
            outcomes.append(Outcome(name, old.head, refused=refused))
            continue
        new_head = _rechain(batch, events, attachments, gtin, apply)
        outcomes.append(Outcome(name, old.head, new_head))
    return outcomes


def _rechain(batch, events, attachments, gtin, apply) -> str:
    previous, refs, rows = chain.GENESIS, {}, []
    for event in events:
        event.prev_hash = previous
        digest = chain.event_digest(
            event, gtin=gtin, lot=batch.lot, attachment_hashes=attachments[event.pk], refs=refs
        )
        refs[event.pk] = event_hash.hash_id(digest)
        rows.append((digest, previous, refs[event.pk], event.pk))
        previous = digest
    if apply:
        with transaction.atomic(), guards.lifted(), connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE traceability_event SET hash = %s, prev_hash = %s, event_id = %s "
                "WHERE id = %s",
                rows,
            )
    return previous
