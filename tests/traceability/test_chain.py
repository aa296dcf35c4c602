import datetime
import hashlib
import unicodedata

import pytest
from django.core.management import CommandError, call_command

from marketplace.errors import DomainError
from tests.traceability.conftest import VN, event_data, pdf_bytes, png_bytes, tamper
from traceability import chain, event_hash, verification
from traceability.events import correct_event, record_event
from traceability.evidence import Evidence
from traceability.models import Batch, Event
from traceability.selectors import lot_events
from traceability.verification import verify_batch

NOW = datetime.datetime(2026, 11, 27, 9, 0, tzinfo=VN)


def _chain_of_three(batch):
    for day in (1, 2, 3):
        record_event(batch, event_data(datetime.datetime(2026, 11, day, 8, tzinfo=VN)), now=NOW)
    return lot_events(batch)


def test_events_chain_to_the_previous_event_of_their_lot(fresh_batch):
    first, second, third = _chain_of_three(fresh_batch)
    assert [e.seq for e in (first, second, third)] == [1, 2, 3]
    assert first.prev_hash == ""
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    assert verify_batch(fresh_batch).valid


def test_event_digest_is_the_cbv2_hash_of_its_nfc_utc_pre_hash_string(fresh_batch):
    decomposed = unicodedata.normalize("NFD", "Thủy sản")
    event = record_event(
        fresh_batch,
        event_data(datetime.datetime(2026, 11, 2, 8, tzinfo=VN), note=decomposed),
        now=NOW,
    )
    body = chain.event_body(
        event, gtin="08933810630018", lot="TEST01", attachment_hashes=[], refs={}
    )
    text = event_hash.pre_hash(body)
    assert text.startswith(
        "eventType=ObjectEventeventTime=2026-11-02T01:00:00.000ZeventTimeZoneOffset=+07:00"
        "quantityListquantityElementepcClass=https://id.gs1.org/01/08933810630018/10/TEST01"
        "action=ADDbizStep=https://ref.gs1.org/cbv/BizStep-commissioning"
    )
    assert "{urn:ocop:ns:}note=" + unicodedata.normalize("NFC", "Thủy sản") in text
    assert event.hash == hashlib.sha256(text.encode()).hexdigest()
    assert event.event_id == f"ni:///sha-256;{event.hash}?ver=CBV2.0"


def test_altering_a_row_with_raw_sql_breaks_the_chain(fresh_batch):
    _, second, _ = _chain_of_three(fresh_batch)
    with tamper() as cursor:
        cursor.execute(
            "UPDATE traceability_event SET note = %s WHERE id = %s", ["Đã sửa lén", second.pk]
        )
    status = verify_batch(fresh_batch)
    assert not status.valid
    assert status.broken_at == 2 and status.reason == "content_changed"


def test_rehashing_a_tampered_row_still_breaks_the_next_link(fresh_batch):
    _, second, _ = _chain_of_three(fresh_batch)
    with tamper() as cursor:
        cursor.execute(
            "UPDATE traceability_event SET hash = %s WHERE id = %s", ["0" * 64, second.pk]
        )
    status = verify_batch(fresh_batch)
    assert not status.valid and status.broken_at == 2


def test_deleting_a_row_with_raw_sql_is_detected(fresh_batch):
    _, second, _ = _chain_of_three(fresh_batch)
    with tamper() as cursor:
        cursor.execute("DELETE FROM traceability_event WHERE id = %s", [second.pk])
    status = verify_batch(fresh_batch)
    assert not status.valid and status.reason == "missing_event"


def test_events_cannot_be_edited_or_deleted_through_django(fresh_batch):
    first, *_ = _chain_of_three(fresh_batch)
    first.note = "khác"
    with pytest.raises(DomainError) as edit:
        first.save()
    assert edit.value.code == "APPEND_ONLY"
    with pytest.raises(DomainError):
        first.delete()
    with pytest.raises(DomainError):
        Event.objects.filter(pk=first.pk).update(note="khác")
    with pytest.raises(DomainError):
        Event.objects.filter(pk=first.pk).delete()
    assert Event.objects.get(pk=first.pk).note == "Thu mua cá"


def test_event_in_the_future_is_refused(fresh_batch):
    with pytest.raises(DomainError) as error:
        record_event(fresh_batch, event_data(NOW + datetime.timedelta(hours=1)), now=NOW)
    assert error.value.code == "EVENT_IN_FUTURE" and error.value.field == "event_time"
    assert not fresh_batch.events.exists()


def test_event_before_the_previous_one_is_refused(fresh_batch):
    _chain_of_three(fresh_batch)
    with pytest.raises(DomainError) as error:
        record_event(fresh_batch, event_data(datetime.datetime(2026, 11, 2, 8, tzinfo=VN)), now=NOW)
    assert error.value.code == "EVENT_BEFORE_PREVIOUS"
    assert "đính chính" in error.value.message
    assert fresh_batch.events.count() == 3


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"biz_step": "harvesting"}, "INVALID_BIZ_STEP"),
        ({"disposition": "great"}, "INVALID_DISPOSITION"),
        ({"action": ""}, "INVALID_ACTION"),
        ({"event_type": "TransformationEvent"}, "INVALID_ACTION"),  # has an action
        ({"quantity": 5, "uom": "kilo"}, "INVALID_UOM"),
        ({"ward_code": "99999"}, "UNKNOWN_WARD"),
        ({"event_time": datetime.datetime(2026, 11, 1, 8)}, "INVALID_TIME"),
    ],
)
def test_invalid_events_name_the_field(fresh_batch, overrides, code):
    with pytest.raises(DomainError) as error:
        record_event(
            fresh_batch,
            event_data(datetime.datetime(2026, 11, 1, 8, tzinfo=VN), **overrides),
            now=NOW,
        )
    assert code in {e.code for e in getattr(error.value, "errors", [error.value])}


def test_ocop_biz_steps_and_quantities_are_accepted(fresh_batch):
    event = record_event(
        fresh_batch,
        event_data(
            datetime.datetime(2026, 11, 1, 8, tzinfo=VN),
            event_type="TransformationEvent",
            action="",
            biz_step="urn:ocop:bizstep:fermenting",
            quantity=54,
            uom="KGM",
        ),
        now=NOW,
    )
    assert event.quantity == 54 and event.uom == "KGM"


def test_correction_is_a_new_event_plus_an_error_declaration(fresh_batch):
    first, second, third = _chain_of_three(fresh_batch)
    declaration, correction = correct_event(
        second,
        event_data(datetime.datetime(2026, 11, 2, 9, tzinfo=VN), note="Thu mua 50 kg cá"),
        now=NOW,
    )
    assert correction.corrects_id == second.pk and correction.seq == 4
    assert declaration.declares_error_on_id == second.pk and declaration.seq == 5
    assert declaration.error_reason == "incorrect_data"
    assert Event.objects.get(pk=second.pk).note == "Thu mua cá"  # the original stays
    trace = verification.trace(fresh_batch)
    assert trace.status.valid and trace.status.checked == 5
    assert trace.corrected_ids == {second.pk}
    assert declaration not in trace.timeline
    with pytest.raises(DomainError) as again:
        correct_event(second, None, reason="did_not_occur", now=NOW)
    assert again.value.code == "ALREADY_CORRECTED"


def test_tampering_with_a_correction_reference_is_detected(fresh_batch):
    first, second, _ = _chain_of_three(fresh_batch)
    declaration, _ = correct_event(second, None, reason="did_not_occur", now=NOW)
    with tamper() as cursor:
        cursor.execute(
            "UPDATE traceability_event SET declares_error_on_id = %s WHERE id = %s",
            [first.pk, declaration.pk],
        )
    assert not verify_batch(fresh_batch).valid


def test_evidence_is_stored_with_its_sha256_and_covered_by_the_hash(fresh_batch):
    event = record_event(
        fresh_batch,
        event_data(
            datetime.datetime(2026, 11, 1, 8, tzinfo=VN),
            attachments=[Evidence("anh.png", png_bytes()), Evidence("kq.pdf", pdf_bytes())],
        ),
        now=NOW,
    )
    kinds = sorted(a.content_type for a in event.attachments.all())
    assert kinds == ["application/pdf", "image/png"]
    attachment = event.attachments.get(content_type="image/png")
    import hashlib

    assert attachment.sha256 == hashlib.sha256(png_bytes()).hexdigest()
    assert attachment.file.read() == png_bytes()
    assert verify_batch(fresh_batch).valid
    with tamper() as cursor:
        cursor.execute(
            "UPDATE traceability_attachment SET sha256 = %s WHERE id = %s",
            ["f" * 64, attachment.pk],
        )
    assert not verify_batch(fresh_batch).valid


@pytest.mark.parametrize(
    "content", [b"MZ\x90\x00 not a picture", b"<svg xmlns='http://www.w3.org/2000/svg'/>", b""]
)
def test_attachments_that_are_not_images_or_pdf_are_rejected(fresh_batch, content):
    with pytest.raises(DomainError) as error:
        record_event(
            fresh_batch,
            event_data(
                datetime.datetime(2026, 11, 1, 8, tzinfo=VN),
                attachments=[Evidence("anh.jpg", content)],  # the name lies
            ),
            now=NOW,
        )
    assert error.value.field == "attachments"
    assert not fresh_batch.events.exists()


def test_verify_command_checks_every_lot_and_fails_on_tampering(fresh_batch, capsys):
    _chain_of_three(fresh_batch)
    call_command("verify_trace_chains")
    out = capsys.readouterr().out
    assert f"{Batch.objects.count()} lots" in out and "All chains valid" in out
    with tamper() as cursor:
        cursor.execute(
            "UPDATE traceability_event SET actor = %s WHERE batch_id = %s AND seq = 1",
            ["Giả mạo", fresh_batch.pk],
        )
    with pytest.raises(CommandError, match="1 problem"):
        call_command("verify_trace_chains")
    assert "EDITED 08933810630018/TEST01: event #1" in capsys.readouterr().out
