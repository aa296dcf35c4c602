"""Tamper evidence against an attacker with database access: each case of issue 12 is caught
on the trace page, in the JSON-LD, in GraphQL and by `verify_trace_chains`."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from marketplace.errors import DomainError
from tests.traceability import tampering
from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT, VN, event_data
from traceability import checkpoints, integrity, merkle, verification
from traceability.events import record_event
from traceability.models import Checkpoint, Event
from traceability.verification import verify_batch

pytestmark = pytest.mark.django_db
PAGE = f"/01/0{SAMPLE_GTIN}/10/{SAMPLE_LOT}"
QUERY = """query($gtin: String!, $lot: String!) { traceBatch(gtin: $gtin, lot: $lot) {
  chainValid integrity { status anchoredAt problems } } }"""


@pytest.fixture(autouse=True)
def _key(settings, tmp_path):
    settings.TRACE_SIGNING_KEY_PATH = tmp_path / "key.pem"


@pytest.fixture
def recalled_and_signed(sample_batch, png_evidence):
    """The sample lot with a recall as its last event, all of it under a signed head."""
    record_event(
        sample_batch,
        event_data(
            datetime.datetime(2026, 11, 20, 9, tzinfo=VN),
            biz_step="holding",
            action="OBSERVE",
            disposition="recalled",
            note="Thu hồi: nghi nhiễm khuẩn",
            attachments=[png_evidence],
        ),
    )
    checkpoints.sign_checkpoint()
    return sample_batch


def _status(graphql):
    data = graphql(QUERY, {"gtin": SAMPLE_GTIN, "lot": SAMPLE_LOT})["data"]["traceBatch"]
    assert data["chainValid"] is (data["integrity"]["status"] != "BROKEN")
    return data["integrity"]


def _command_fails(match: str, capsys) -> str:
    with pytest.raises(CommandError, match=match):
        call_command("verify_trace_chains")
    return capsys.readouterr().out


def test_intact_and_signed_lot_is_anchored_everywhere(recalled_and_signed, client, graphql):
    state = _status(graphql)
    assert state["status"] == "INTACT_ANCHORED" and state["problems"] == []
    assert state["anchoredAt"] is not None
    page = client.get(PAGE).content.decode()
    assert 'data-integrity="INTACT_ANCHORED"' in page and "THU HỒI" in page
    assert "Checked against the digitally signed checkpoint" in (
        client.get(PAGE, {"lang": "en"}).content.decode()
    )
    doc = client.get(PAGE, HTTP_ACCEPT="application/ld+json").json()
    assert doc["ocop:integrity"]["status"] == "INTACT_ANCHORED"
    call_command("verify_trace_chains")


def test_events_after_the_last_head_are_unanchored_since_their_record_time(
    recalled_and_signed, graphql
):
    record_event(
        recalled_and_signed,
        event_data(datetime.datetime(2026, 11, 21, 9, tzinfo=VN), biz_step="inspecting"),
    )
    state = _status(graphql)
    assert state["status"] == "INTACT_UNANCHORED" and state["problems"] == []
    trace = verification.trace(recalled_and_signed)
    assert integrity.evaluate(trace).unanchored_since == trace.events[-1].record_time


def test_whole_chain_recomputed_after_an_edit_is_broken(recalled_and_signed, graphql, capsys):
    tampering.edit_and_rechain(recalled_and_signed, "Cá nuôi sạch 100%")
    assert verify_batch(recalled_and_signed).valid  # the chain alone cannot tell
    state = _status(graphql)
    assert state["status"] == "BROKEN" and state["problems"] == ["edited"]
    assert "history rewritten" in _command_fails("edited", capsys)


def test_deleting_the_recall_is_broken_on_the_page(recalled_and_signed, client, graphql, capsys):
    tampering.delete_last_event(recalled_and_signed)
    assert verify_batch(recalled_and_signed).valid
    page = client.get(PAGE).content.decode()
    assert "THU HỒI" not in page  # the banner is gone with the event ...
    assert 'data-integrity="BROKEN"' in page and "Lịch sử bị sửa" in page  # ... and it shows
    assert "sự kiện đã ghi bị xóa" in page
    assert "recorded events were deleted" in client.get(PAGE, {"lang": "en"}).content.decode()
    assert _status(graphql)["problems"] == ["deleted"]
    _command_fails("deleted", capsys)


def test_newest_head_edited_to_a_forged_root_is_reported(recalled_and_signed, graphql, capsys):
    tampering.forge_newest_checkpoint()
    state = _status(graphql)
    assert state["status"] == "BROKEN" and "forged_checkpoint" in state["problems"]
    assert "signature does not verify" in _command_fails("forged_checkpoint", capsys)


def test_fake_future_head_with_a_junk_signature_is_reported(recalled_and_signed, graphql, capsys):
    tampering.insert_future_checkpoint(checkpoints.key_id())
    assert "forged_checkpoint" in _status(graphql)["problems"]
    _command_fails("forged_checkpoint", capsys)


def test_future_dated_head_is_forged_even_when_signed(recalled_and_signed, capsys):
    def grow(day):
        record_event(
            recalled_and_signed,
            event_data(datetime.datetime(2026, 11, day, 9, tzinfo=VN), biz_step="inspecting"),
        )

    grow(21)
    checkpoints.sign_checkpoint(datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2))
    grow(22)
    with pytest.raises(DomainError, match="dated in the future"):
        checkpoints.sign_checkpoint()
    assert "dated in the future" in _command_fails("forged_checkpoint", capsys)


def test_a_whole_lot_deleted_is_reported_missing(recalled_and_signed, capsys):
    tampering.delete_lot(recalled_and_signed)
    out = _command_fails("missing", capsys)
    assert f"MISSING 0{SAMPLE_GTIN}/{SAMPLE_LOT}: signed with 6 events" in out


def test_an_edited_leaf_of_any_lot_no_longer_matches_its_signed_head(
    recalled_and_signed, graphql, capsys, settings
):
    settings.TRACE_LOG_RECHECK_SECONDS = 0  # pages rebuild the tree on every request
    with tampering.tamper() as cursor:
        cursor.execute(
            "UPDATE traceability_treeleaf SET events = events + 1 "
            "WHERE id = (SELECT MIN(id) FROM traceability_treeleaf)"
        )
    assert "log_rewritten" in _status(graphql)["problems"]
    _command_fails("log_rewritten", capsys)


def test_a_page_reusing_the_tree_still_proves_its_own_leaves_and_every_head(
    recalled_and_signed, graphql, settings
):
    settings.TRACE_LOG_RECHECK_SECONDS = 3600
    assert _status(graphql)["status"] == "INTACT_ANCHORED"  # the tree is now reused
    with tampering.tamper() as cursor:
        cursor.execute(
            "UPDATE traceability_treeleaf SET events = events - 1, head = %s "
            "WHERE gtin = %s AND lot = %s",
            [
                verification.trace(recalled_and_signed).status.digests[-2],
                f"0{SAMPLE_GTIN}",
                SAMPLE_LOT,
            ],
        )
    tampering.delete_last_event(recalled_and_signed)  # and the recall goes, consistently
    state = _status(graphql)
    assert state["status"] == "BROKEN" and state["problems"] == ["log_rewritten"]


def test_signing_refuses_to_anchor_a_rewritten_chain(recalled_and_signed, capsys):
    tampering.edit_and_rechain(recalled_and_signed, "Sửa lén")
    with pytest.raises(CommandError, match="1 lot"):
        call_command("sign_trace_checkpoint")
    assert Checkpoint.objects.count() == 1


def test_signing_again_appends_only_lots_that_grew(recalled_and_signed):
    first, _ = checkpoints.sign_checkpoint()
    again, _ = checkpoints.sign_checkpoint()
    assert again.pk == first.pk
    record_event(
        recalled_and_signed,
        event_data(datetime.datetime(2026, 11, 21, 9, tzinfo=VN), biz_step="inspecting"),
    )
    second, _ = checkpoints.sign_checkpoint()
    assert second.tree_size == first.tree_size + 1
    _, tree = checkpoints.load_tree()
    proof = tree.consistency_proof(first.tree_size, second.tree_size)
    assert merkle.verify_consistency(
        first.tree_size,
        second.tree_size,
        bytes.fromhex(first.root_hash),
        bytes.fromhex(second.root_hash),
        proof,
    )


def test_a_head_signed_with_a_retired_key_verifies_only_while_that_key_is_published(
    recalled_and_signed, settings, tmp_path
):
    old_key = checkpoints.b64(checkpoints.public_key_raw())
    settings.TRACE_SIGNING_KEY_PATH = tmp_path / "new-key.pem"  # rotation
    assert "forged_checkpoint" in [p.code for p in checkpoints.verify_log().problems]
    settings.TRACE_RETIRED_PUBLIC_KEYS = [old_key]
    assert checkpoints.verify_log().problems == []
    keys = {k["keyId"]: k["status"] for k in checkpoints.key_document()["keys"]}
    assert sorted(keys.values()) == ["current", "retired"]


@pytest.mark.parametrize(
    "table",
    [
        "traceability_event",
        "traceability_attachment",
        "traceability_checkpoint",
        "traceability_treeleaf",
    ],
)
@pytest.mark.parametrize("statement", ["UPDATE {table} SET id = id", "DELETE FROM {table}"])
def test_guard_triggers_refuse_updates_and_deletes(recalled_and_signed, table, statement):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement.format(table=table))
    assert Event.objects.filter(batch=recalled_and_signed).count() == 6


def test_published_heads_and_proofs_verify_with_the_published_key(
    recalled_and_signed, client, settings
):
    assert settings.TRACE_SIGNING_KEY_PATH.stat().st_mode & 0o777 == 0o600
    keys = client.get("/truy-xuat/khoa-cong-khai.json").json()
    heads = client.get("/truy-xuat/diem-neo.json").json()["checkpoints"]
    head = heads[-1]
    raw = {k["keyId"]: checkpoints.unb64(k["publicKey"]) for k in keys["keys"]}
    signed = json.loads(head["payload"])
    assert checkpoints.verify_signature(head["payload"], head["signature"], raw[signed["keyId"]])
    proof = client.get(
        "/truy-xuat/cay/chung-minh.json", {"gtin": f"0{SAMPLE_GTIN}", "lot": SAMPLE_LOT}
    ).json()
    assert proof["treeSize"] == signed["treeSize"] == 148  # every lot with events
    (leaf,) = proof["leaves"]
    assert leaf["events"] == 6
    assert len(leaf["inclusionProof"]) <= 8  # ⌈log2 149⌉
    data = checkpoints.leaf_bytes(f"0{SAMPLE_GTIN}", SAMPLE_LOT, leaf["events"], leaf["head"])
    assert merkle.verify_inclusion(
        leaf["index"],
        proof["treeSize"],
        merkle.leaf_hash(data),
        [bytes.fromhex(h) for h in leaf["inclusionProof"]],
        bytes.fromhex(signed["rootHash"]),
    )
    assert client.get("/truy-xuat/cay/chung-minh.json", {"gtin": "123"}).status_code == 400
    assert client.get("/truy-xuat/cay/nhat-quan.json", {"first": "0"}).status_code == 400
