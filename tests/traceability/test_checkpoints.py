import base64
import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT
from traceability import checkpoints

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _key(settings, tmp_path):
    settings.TRACE_SIGNING_KEY_PATH = tmp_path / "key.pem"


def _raw(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_published_checkpoint_verifies_with_the_published_key(client, settings):
    call_command("sign_trace_checkpoint")
    assert settings.TRACE_SIGNING_KEY_PATH.stat().st_mode & 0o777 == 0o600
    key = client.get("/truy-xuat/khoa-cong-khai.json").json()
    assert key["algorithm"] == "Ed25519" and "BEGIN PUBLIC KEY" in key["pem"]
    published = client.get("/truy-xuat/diem-neo.json").json()["checkpoints"][0]
    public = _raw(key["publicKey"])
    assert checkpoints.verify_signature(published["payload"], published["signature"], public)
    lots = json.loads(published["payload"])["lots"]
    assert len(lots) == 148
    assert lots[f"0{SAMPLE_GTIN}/{SAMPLE_LOT}"]["events"] == 5
    assert all(entry["valid"] for entry in lots.values())
    forged = published["payload"].replace('"valid":true', '"valid":false', 1)
    assert not checkpoints.verify_signature(forged, published["signature"], public)


def test_signing_twice_a_day_keeps_the_first_checkpoint():
    first = checkpoints.sign_checkpoint(DAY)
    assert checkpoints.sign_checkpoint(DAY).pk == first.pk


def test_a_consistently_rewritten_chain_no_longer_matches_the_signed_head():
    checkpoint = checkpoints.sign_checkpoint(DAY)
    assert checkpoints.compare_with_checkpoint(checkpoint) == []
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE traceability_event SET hash = %s WHERE hash = %s",
            [
                "a" * 64,
                json.loads(checkpoint.payload)["lots"][f"0{SAMPLE_GTIN}/{SAMPLE_LOT}"]["head"],
            ],
        )
    assert checkpoints.compare_with_checkpoint(checkpoint) == [f"0{SAMPLE_GTIN}/{SAMPLE_LOT}"]
    with pytest.raises(CommandError, match="1 rewritten since checkpoint"):
        call_command("verify_trace_chains")
