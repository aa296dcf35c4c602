"""Signed tree heads over every lot's chain head (Ed25519 over an RFC 9162 Merkle tree).

The log is append-only: each signing appends one leaf per lot whose chain grew since its last
leaf, then signs the root over all leaves. A lot is proved by O(log n) hashes; a history
rewritten or cut short after a head was signed no longer matches it. The format is specified
in docs/trace-verification.md.
"""

import base64
import datetime
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from marketplace.errors import DomainError
from traceability import merkle
from traceability.errors import TraceError
from traceability.models import Checkpoint, TreeLeaf
from traceability.selectors import gtin14
from traceability.verification import verify_all

FORMAT = "ocop-trace-tree-head/1"
LEAF_PREFIX = "ocop-trace-leaf/1"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# ---------------------------------------------------------------- keys


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


def key_id_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:16]


def key_id() -> str:
    return key_id_of(public_key_raw())


def public_keys() -> dict[str, bytes]:
    """Every key a tree head may be signed with, by key id: the current one and retired ones
    from settings (a key in the database could be planted by whoever can write it)."""
    keys = {key_id_of(raw): raw for raw in map(unb64, settings.TRACE_RETIRED_PUBLIC_KEYS)}
    keys[key_id()] = public_key_raw()
    return keys


def _pem(raw: bytes) -> str:
    return (
        Ed25519PublicKey.from_public_bytes(raw)
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def key_document() -> dict:
    current = key_id()
    keys = [
        {
            "keyId": kid,
            "algorithm": "Ed25519",
            "publicKey": b64(raw),
            "pem": _pem(raw),
            "status": "current" if kid == current else "retired",
        }
        for kid, raw in public_keys().items()
    ]
    raw = public_key_raw()
    return {
        "algorithm": "Ed25519",
        "keyId": current,
        "publicKey": b64(raw),
        "pem": _pem(raw),
        "keys": keys,
    }


def verify_signature(payload: str, signature: str, public_key: bytes) -> bool:
    """What an outside verifier does, with nothing but the published key."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(unb64(signature), payload.encode())
    except (InvalidSignature, ValueError):
        return False
    return True


# ---------------------------------------------------------------- leaves and tree


def leaf_bytes(gtin: str, lot: str, events: int, head: str) -> bytes:
    return f"{LEAF_PREFIX}\n{gtin}\n{lot}\n{events}\n{head}".encode()


def leaf_hash_of(leaf: TreeLeaf) -> bytes:
    return merkle.leaf_hash(leaf_bytes(leaf.gtin, leaf.lot, leaf.events, leaf.head))


def load_tree() -> tuple[list[TreeLeaf], merkle.Tree]:
    """Every leaf row, in index order, and the tree their hashes form (recomputed, not stored)."""
    leaves = list(TreeLeaf.objects.order_by("index").only("index", "gtin", "lot", "events", "head"))
    tree = merkle.Tree([leaf_hash_of(leaf) for leaf in leaves])
    _snapshots[connection.alias] = (time.monotonic(), leaves, tree)
    return leaves, tree


# Recomputing the tree is O(n) (2 s at 100k lots): pages reuse it for a while. A reused tree is
# only ever trusted when it agrees with what is read fresh (every head, the lot's own leaves
# and the row count); any disagreement is re-judged against a freshly built tree.
_snapshots: dict[str, tuple[float, list[TreeLeaf], merkle.Tree]] = {}


def tree_snapshot(fresh: bool = False) -> tuple[list[TreeLeaf], merkle.Tree, bool]:
    """(leaves, tree, reused): a tree at most TRACE_LOG_RECHECK_SECONDS old, or a new one."""
    entry = _snapshots.get(connection.alias)
    age = settings.TRACE_LOG_RECHECK_SECONDS
    if not fresh and entry is not None and time.monotonic() - entry[0] < age:
        if TreeLeaf.objects.count() == len(entry[1]):
            return entry[1], entry[2], True
    leaves, tree = load_tree()
    return leaves, tree, False


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def head_payload(tree_size: int, root: bytes, signed_at: datetime.datetime, kid: str) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "keyId": kid,
            "rootHash": root.hex(),
            "signedAt": _utc(signed_at),
            "treeSize": tree_size,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


# ---------------------------------------------------------------- verifying the log

# A server clock a little behind the signer's is not forgery; more than this is.
CLOCK_SKEW = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class Problem:
    code: str  # edited | deleted | reordered | missing | forged_checkpoint | log_rewritten
    detail: str


@dataclass
class HeadCheck:
    checkpoint: Checkpoint
    tree_size: int = 0
    root: bytes = b""
    signed_at: datetime.datetime | None = None
    problem: str = ""  # why this is not a genuine signed head (forged)
    matches_log: bool = True  # the log's leaves still hash to its root


@dataclass
class LogStatus:
    leaves: list[TreeLeaf]
    tree: merkle.Tree
    heads: list[HeadCheck]
    problems: list[Problem] = field(default_factory=list)
    reused: bool = False  # the tree was taken from the snapshot, not rebuilt for this call

    @property
    def valid_heads(self) -> list[HeadCheck]:
        return [h for h in self.heads if not h.problem and h.matches_log]

    @property
    def latest(self) -> Checkpoint | None:
        valid = self.valid_heads
        return valid[-1].checkpoint if valid else None

    @property
    def anchored_size(self) -> int:
        """Leaves vouched for by a valid signed head; later rows are not evidence of anything."""
        valid = self.valid_heads
        return valid[-1].tree_size if valid else 0


def check_head(checkpoint: Checkpoint, keys: dict[str, bytes], now) -> HeadCheck:
    """Read a head from its signed bytes only; say why it is forged, if it is."""
    check = HeadCheck(checkpoint)
    try:
        signed = json.loads(checkpoint.payload)
        kid = signed["keyId"]
        check.tree_size = int(signed["treeSize"])
        check.root = bytes.fromhex(signed["rootHash"])
        check.signed_at = datetime.datetime.fromisoformat(signed["signedAt"].replace("Z", "+00:00"))
        if signed["format"] != FORMAT:
            raise ValueError(signed["format"])
    except (ValueError, KeyError, TypeError, AttributeError):
        check.problem = "payload is not a tree head"
        return check
    if kid not in keys:
        check.problem = f"signed with unknown key {kid}"
    elif not verify_signature(checkpoint.payload, checkpoint.signature, keys[kid]):
        check.problem = "signature does not verify"
    elif check.signed_at > now + CLOCK_SKEW:
        check.problem = f"dated in the future ({signed['signedAt']})"
    return check


def verify_log(now: datetime.datetime | None = None, *, fresh: bool = False) -> LogStatus:
    """Every signed head against the published keys and against the log's leaves.

    Heads are taken in signing order; each must be signed by a published key, not lie in the
    future, not shrink the tree, and its root must be that of the log's first `treeSize`
    leaves as they are now (which also proves consistency between successive heads).
    """
    now = now or timezone.now()
    keys = public_keys()
    leaves, tree, reused = tree_snapshot(fresh)
    status = LogStatus(leaves=leaves, tree=tree, heads=[], reused=reused)
    previous: HeadCheck | None = None
    for checkpoint in Checkpoint.objects.order_by("signed_at", "id"):
        check = check_head(checkpoint, keys, now)
        if not check.problem and previous is not None and check.tree_size < previous.tree_size:
            check.problem = "smaller than the head signed before it"
        if check.problem:
            status.problems.append(
                Problem("forged_checkpoint", f"tree head #{checkpoint.pk}: {check.problem}")
            )
            status.heads.append(check)
            continue
        previous = check
        if check.tree_size > tree.size or tree.root(check.tree_size) != check.root:
            # Signed, so genuine: it is the log that was cut short or changed.
            check.matches_log = False
            status.problems.append(
                Problem(
                    "log_rewritten",
                    f"the log no longer holds the {check.tree_size} leaves signed at "
                    f"{_utc(check.signed_at)}",
                )
            )
        status.heads.append(check)
    if reused and status.problems:
        return verify_log(now, fresh=True)
    return status


@transaction.atomic
def sign_checkpoint(now: datetime.datetime | None = None) -> tuple[Checkpoint, list[str]]:
    """Append the lots whose chain grew and sign the new tree head.

    Returns the head (the last one if nothing changed) and the lots left out because their
    chain no longer extends what was signed for them (those are never signed over).
    Refuses to sign over a log that no longer matches its own signed heads.
    """
    now = now or timezone.now()
    log = verify_log(now, fresh=True)
    if log.problems:
        raise DomainError(TraceError.LOG_TAMPERED, "; ".join(p.detail for p in log.problems))
    latest_by_lot: dict[tuple[str, str], TreeLeaf] = {}
    for leaf in log.leaves:
        latest_by_lot[(leaf.gtin, leaf.lot)] = leaf
    additions, refused = [], []
    for batch, status in verify_all():
        key = (gtin14(batch.product), batch.lot)
        previous = latest_by_lot.pop(key, None)
        if previous is not None:
            if previous.events > status.checked or (
                status.digests[previous.events - 1] != previous.head
            ):
                refused.append(f"{key[0]}/{key[1]}")
                continue
            if previous.events == status.checked:
                continue
        if status.checked:
            additions.append((key, status.checked, status.head))
    latest = log.latest
    if not additions and latest is not None:
        return latest, refused
    size = len(log.leaves)
    leaves = [
        TreeLeaf(index=size + i, gtin=gtin, lot=lot, events=events, head=head)
        for i, ((gtin, lot), events, head) in enumerate(additions)
    ]
    tree_hashes = [leaf_hash_of(leaf) for leaf in log.leaves] + [leaf_hash_of(x) for x in leaves]
    root = merkle.Tree(tree_hashes).root()
    kid = key_id()
    payload = head_payload(len(tree_hashes), root, now, kid)
    checkpoint = Checkpoint.objects.create(
        tree_size=len(tree_hashes),
        root_hash=root.hex(),
        signed_at=now,
        payload=payload,
        signature=b64(private_key().sign(payload.encode())),
        key_id=kid,
    )
    for leaf in leaves:
        leaf.checkpoint = checkpoint
    TreeLeaf.objects.bulk_create(leaves)
    return checkpoint, refused
