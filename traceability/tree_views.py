"""The public documents a verifier needs, at stable URLs (docs/trace-verification.md):
the signing keys, every signed tree head, a lot's inclusion proofs, consistency proofs."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from marketplace.access import public
from marketplace.errors import DomainError
from traceability import checkpoints
from traceability.models import Checkpoint
from traceability.selectors import parse_gtin

TRANSPARENCY = "public transparency documents: anyone may verify the trace log"

_JSON = {"json_dumps_params": {"ensure_ascii": False}}


def _bad(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def _size(value: str | None, default: int, limit: int) -> int | None:
    if value in (None, ""):
        return default
    if not value.isascii() or not value.isdigit() or not 0 < int(value) <= limit:
        return None
    return int(value)


def proof_url(gtin14: str, lot: str) -> str:
    return reverse("traceability:tree_proof") + "?" + urlencode({"gtin": gtin14, "lot": lot})


@require_safe
@public(TRANSPARENCY)
def public_key(request):
    """The Ed25519 keys that sign tree heads, by key id (the current one and retired ones)."""
    return JsonResponse(checkpoints.key_document())


@require_safe
@public(TRANSPARENCY)
def checkpoint_list(request):
    """Every signed tree head in signing order: verify `signature` over the exact `payload`."""
    heads = [
        {
            "treeSize": c.tree_size,
            "rootHash": c.root_hash,
            "signedAt": c.signed_at.isoformat(),
            "keyId": c.key_id,
            "payload": c.payload,
            "signature": c.signature,
        }
        for c in Checkpoint.objects.order_by("signed_at", "id")
    ]
    return JsonResponse({"format": checkpoints.FORMAT, "checkpoints": heads}, **_JSON)


@require_safe
@public(TRANSPARENCY)
def lot_proof(request):
    """A lot's leaves with their inclusion proofs in the tree of `treeSize` leaves (default:
    the newest genuine head). Served from the log, so a lot deleted since stays provable."""
    try:
        gtin = parse_gtin(request.GET.get("gtin", ""))
    except DomainError as exc:
        return _bad(exc.message)
    lot = request.GET.get("lot", "")
    log = checkpoints.verify_log()
    size = _size(request.GET.get("treeSize"), log.anchored_size, log.tree.size)
    if size is None:
        return _bad(f"treeSize must be between 1 and {log.tree.size}")
    leaves = [
        {
            "index": leaf.index,
            "events": leaf.events,
            "head": leaf.head,
            "inclusionProof": [h.hex() for h in log.tree.inclusion_proof(leaf.index, size)],
        }
        for leaf in log.leaves[:size]
        if leaf.gtin == gtin and leaf.lot == lot
    ]
    return JsonResponse({"gtin": gtin, "lot": lot, "treeSize": size, "leaves": leaves}, **_JSON)


@require_safe
@public(TRANSPARENCY)
def consistency(request):
    """RFC 9162 consistency proof between the trees of `first` and `second` leaves."""
    _, tree, _ = checkpoints.tree_snapshot()
    total = tree.size
    first = _size(request.GET.get("first"), 0, total)
    second = _size(request.GET.get("second"), total, total)
    if not first or second is None or first > second:
        return _bad(f"need 1 <= first <= second <= {total}")
    proof = tree.consistency_proof(first, second)
    return JsonResponse({"first": first, "second": second, "proof": [h.hex() for h in proof]})
