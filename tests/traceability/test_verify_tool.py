"""tools/verify_trace.py, run as an outsider would, against a live server: intact, then after
each tampering of issue 12 (the tool must fail every time)."""

import ast
import datetime
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.traceability import tampering
from tests.traceability.conftest import SAMPLE_GTIN, VN, event_data
from traceability import checkpoints, guards
from traceability.events import record_event
from traceability.lots import BatchData, create_batch
from traceability.models import Batch, Checkpoint, Event, TreeLeaf
from traceability.selectors import find_batch

TOOL = Path(__file__).resolve().parents[2] / "tools" / "verify_trace.py"
STDLIB = set(sys.stdlib_module_names)


@pytest.fixture
def transactional_db(django_db_setup, django_db_blocker):
    """Real commits the server thread sees, without the flush that would empty the sample
    catalog; `signed_lot` removes exactly what it made."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def signed_lot(live_server, transactional_db, settings, tmp_path):
    settings.TRACE_SIGNING_KEY_PATH = tmp_path / "key.pem"
    before = {
        "checkpoint": Checkpoint.objects.order_by("-id").values_list("id", flat=True).first() or 0,
        "leaf": TreeLeaf.objects.order_by("-id").values_list("id", flat=True).first() or 0,
    }
    batch, _ = create_batch(
        BatchData(
            product=find_batch(SAMPLE_GTIN, "L260726A").product,
            lot=f"V{uuid.uuid4().hex[:8].upper()}",
            packed_on=datetime.date(2026, 11, 1),
            best_before=None,
            units=20,
        )
    )
    for day, step, disposition in ((2, "commissioning", "active"), (5, "holding", "recalled")):
        record_event(
            batch,
            event_data(
                datetime.datetime(2026, 11, day, 8, tzinfo=VN),
                biz_step=step,
                action="OBSERVE",
                disposition=disposition,
            ),
        )
    checkpoints.sign_checkpoint()
    yield batch, f"{live_server.url}/01/0{SAMPLE_GTIN}/10/{batch.lot}"
    with guards.lifted(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM traceability_treeleaf WHERE id > %s", [before["leaf"]])
        cursor.execute("DELETE FROM traceability_checkpoint WHERE id > %s", [before["checkpoint"]])
        if Batch.objects.filter(pk=batch.pk).exists():
            tampering.delete_lot(batch)


def _run(uri: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-I", str(TOOL), uri], capture_output=True, text=True, timeout=120
    )


def test_the_tool_imports_only_the_standard_library_and_cryptography():
    tree = ast.parse(TOOL.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module.split(".")[0])
    assert names - STDLIB == {"cryptography"}


def test_an_intact_lot_verifies(signed_lot):
    _, uri = signed_lot
    result = _run(uri)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("INTACT_ANCHORED")


def test_unsigned_events_are_intact_but_unanchored(signed_lot):
    batch, uri = signed_lot
    record_event(
        batch, event_data(datetime.datetime(2026, 11, 6, 8, tzinfo=VN), biz_step="inspecting")
    )
    result = _run(uri)
    assert result.returncode == 0 and result.stdout.strip().endswith("INTACT_UNANCHORED")


@pytest.mark.parametrize(
    "attack, problem",
    [
        (lambda batch: tampering.edit_and_rechain(batch, "Sửa lén"), "edited"),
        (tampering.delete_last_event, "deleted"),
        (lambda batch: tampering.forge_newest_checkpoint(), "forged_checkpoint"),
        (
            lambda batch: tampering.insert_future_checkpoint(checkpoints.key_id()),
            "forged_checkpoint",
        ),
        (tampering.delete_lot, "missing"),
    ],
    ids=[
        "chain-recomputed-after-edit",
        "recall-deleted",
        "newest-head-edited",
        "future-head-junk-signature",
        "lot-deleted",
    ],
)
def test_every_tampering_makes_the_tool_fail(signed_lot, attack, problem):
    batch, uri = signed_lot
    assert _run(uri).returncode == 0
    attack(batch)
    result = _run(uri)
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"PROBLEM {problem}:" in result.stdout and result.stdout.strip().endswith("BROKEN")
    assert Event.objects.exists()
