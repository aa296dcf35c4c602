"""Re-chaining pre-CBV 2.0 history: only lots whose old chain still verifies, in the open."""

import datetime
import uuid

import pytest
from django.core.management import CommandError, call_command

from tests.traceability.conftest import VN, event_data, tamper
from traceability import legacy_chain
from traceability.events import record_event
from traceability.selectors import gtin14, lot_events
from traceability.verification import verify_batch

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=VN)


def _as_legacy(batch):
    """Turn a lot's events into what the old code stored: uuid ids, old canonical hashes."""
    previous = ""
    for event in lot_events(batch):
        event.event_id = str(uuid.uuid4())
        event.prev_hash = previous
        digest = legacy_chain.event_hash(
            event, gtin=gtin14(batch.product), lot=batch.lot, attachment_hashes=[], refs={}
        )
        with tamper() as cursor:
            cursor.execute(
                "UPDATE traceability_event SET event_id = %s, prev_hash = %s, hash = %s "
                "WHERE id = %s",
                [event.event_id, previous, digest, event.pk],
            )
        previous = digest


def _lot_with_events(batch):
    for day in (1, 2, 3):
        record_event(batch, event_data(datetime.datetime(2026, 11, day, 8, tzinfo=VN)), now=NOW)


def test_an_intact_old_chain_is_rechained_to_cbv2_ids(fresh_batch, capsys):
    _lot_with_events(fresh_batch)
    _as_legacy(fresh_batch)
    assert not verify_batch(fresh_batch).valid  # old ids are not CBV 2.0 hashes
    call_command("rechain_trace_events")
    assert "WOULD RECHAIN" in capsys.readouterr().out
    assert not verify_batch(fresh_batch).valid  # a dry run writes nothing
    call_command("rechain_trace_events", "--apply")
    assert "RECHAINED 08933810630018/TEST01: old head" in capsys.readouterr().out
    status = verify_batch(fresh_batch)
    assert status.valid and status.checked == 3
    assert all(e.event_id.startswith("ni:///") for e in lot_events(fresh_batch))


def test_an_old_chain_that_was_tampered_with_is_left_as_it_is(fresh_batch, capsys):
    _lot_with_events(fresh_batch)
    _as_legacy(fresh_batch)
    with tamper() as cursor:
        cursor.execute(
            "UPDATE traceability_event SET note = 'sửa lén' WHERE batch_id = %s AND seq = 2",
            [fresh_batch.pk],
        )
    with pytest.raises(CommandError, match="1 lot"):
        call_command("rechain_trace_events", "--apply")
    assert "LEFT AS IS 08933810630018/TEST01: old chain broken at event #2" in (
        capsys.readouterr().out
    )
    assert not verify_batch(fresh_batch).valid
