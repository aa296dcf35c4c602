"""What an attacker with database access does, for the tampering tests (guards lifted first)."""

import datetime
import json

from tests.traceability.conftest import tamper
from traceability import chain, event_hash
from traceability.models import Batch, Checkpoint, Event
from traceability.selectors import gtin14


def rechain(batch: Batch, first_seq: int = 1) -> None:
    """Recompute the digests of a lot's whole chain after an edit, so the chain itself verifies."""
    batch = Batch.objects.select_related("product").get(pk=batch.pk)
    gtin = gtin14(batch.product)
    previous = ""
    refs: dict[int, str] = {}
    for event in Event.objects.filter(batch=batch).order_by("seq"):
        event.prev_hash = previous
        hashes = [a.sha256 for a in event.attachments.all()]
        digest = chain.event_digest(
            event, gtin=gtin, lot=batch.lot, attachment_hashes=hashes, refs=refs
        )
        with tamper() as cursor:
            cursor.execute(
                "UPDATE traceability_event SET hash = %s, prev_hash = %s, event_id = %s "
                "WHERE id = %s",
                [digest, previous, event_hash.hash_id(digest), event.pk],
            )
        previous = digest
        refs[event.pk] = event_hash.hash_id(digest)


def edit_and_rechain(batch: Batch, note: str) -> None:
    with tamper() as cursor:
        cursor.execute(
            "UPDATE traceability_event SET note = %s WHERE batch_id = %s AND seq = 1",
            [note, batch.pk],
        )
    rechain(batch)


def delete_last_event(batch: Batch) -> None:
    last = Event.objects.filter(batch=batch).order_by("-seq").first()
    with tamper() as cursor:
        cursor.execute("DELETE FROM traceability_attachment WHERE event_id = %s", [last.pk])
        cursor.execute("DELETE FROM traceability_event WHERE id = %s", [last.pk])


def forge_newest_checkpoint() -> None:
    """Point the newest signed head at another root (what a rewritten log would need)."""
    newest = Checkpoint.objects.order_by("-signed_at", "-id").first()
    signed = json.loads(newest.payload)
    signed["rootHash"] = "ab" * 32
    payload = json.dumps(signed, sort_keys=True, separators=(",", ":"))
    with tamper() as cursor:
        cursor.execute(
            "UPDATE traceability_checkpoint SET payload = %s, root_hash = %s WHERE id = %s",
            [payload, "ab" * 32, newest.pk],
        )


def insert_future_checkpoint(kid: str) -> None:
    moment = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=3)
    payload = json.dumps(
        {
            "format": "ocop-trace-tree-head/1",
            "keyId": kid,
            "rootHash": "cd" * 32,
            "signedAt": moment.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "treeSize": 1,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    Checkpoint.objects.create(
        tree_size=1,
        root_hash="cd" * 32,
        signed_at=moment,
        payload=payload,
        signature="A" * 86,
        key_id=kid,
    )


def delete_lot(batch: Batch) -> None:
    with tamper() as cursor:
        cursor.execute(
            "UPDATE traceability_suspectreport SET batch_id = NULL WHERE batch_id = %s", [batch.pk]
        )
        for table, column in (
            ("traceability_scanflag", "batch_id"),
            ("traceability_scan", "batch_id"),
            ("traceability_unit", "batch_id"),
        ):
            cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [batch.pk])
        cursor.execute(
            "DELETE FROM traceability_attachment WHERE event_id IN "
            "(SELECT id FROM traceability_event WHERE batch_id = %s)",
            [batch.pk],
        )
        cursor.execute("DELETE FROM traceability_event WHERE batch_id = %s", [batch.pk])
        cursor.execute("DELETE FROM traceability_batch WHERE id = %s", [batch.pk])
