"""Signed daily checkpoints of every lot's chain head (Ed25519).

Rewriting a whole chain consistently would pass a hash check; it cannot also match the heads
signed earlier. The signed payload and the public key are published, so anyone can verify
offline: Ed25519-verify(public key, payload bytes, signature).
"""

import base64
import datetime
import hashlib
import json
import os
import tempfile

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction

from traceability import services
from traceability.models import Batch, Checkpoint


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def private_key() -> Ed25519PrivateKey:
    """The server's signing key, created (mode 600) the first time it is needed."""
    path = settings.TRACE_SIGNING_KEY_PATH
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write aside, then link into place: another worker never reads a half-written key,
        # and if it won the race we use its key.
        fd, temporary = tempfile.mkstemp(dir=path.parent)  # mode 600
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def public_key_raw() -> bytes:
    return (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def key_id() -> str:
    return hashlib.sha256(public_key_raw()).hexdigest()[:16]


def public_key_pem() -> str:
    return (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def heads() -> dict[str, dict]:
    """Every lot's chain head, keyed "gtin14/lot"; a broken chain is signed as broken."""
    result = {}
    for batch, status in services.verify_all():
        result[f"{services.gtin14(batch.product)}/{batch.lot}"] = {
            "events": status.checked,
            "head": status.head,
            "valid": status.valid,
        }
    return result


@transaction.atomic
def sign_checkpoint(day: datetime.date) -> Checkpoint:
    """Sign the day's heads once; the same day again returns the checkpoint already made."""
    existing = Checkpoint.objects.filter(day=day).first()
    if existing is not None:
        return existing
    payload = json.dumps(
        {"day": day.isoformat(), "keyId": key_id(), "lots": heads()},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    signature = private_key().sign(payload.encode())
    return Checkpoint.objects.create(
        day=day, payload=payload, signature=b64(signature), key_id=key_id()
    )


def verify_signature(payload: str, signature: str, public_key: bytes) -> bool:
    """What an outside verifier does, with nothing but the published key."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(unb64(signature), payload.encode())
    except (InvalidSignature, ValueError):
        return False
    return True


def compare_with_checkpoint(checkpoint: Checkpoint) -> list[str]:
    """Lots whose chain no longer extends the head signed in `checkpoint` (history rewritten)."""
    signed = json.loads(checkpoint.payload)["lots"]
    changed = []
    for batch in Batch.objects.select_related("product"):
        name = f"{services.gtin14(batch.product)}/{batch.lot}"
        entry = signed.get(name)
        if entry is None or not entry["head"]:
            continue
        event = batch.events.filter(seq=entry["events"]).only("hash").first()
        if event is None or event.hash != entry["head"]:
            changed.append(name)
    return changed
