"""Signed tree heads at 100,000 lots: what a verifier downloads for one lot (inclusion proof,
consistency proof), and what the server spends (signing, the trace page, the full log check)."""

import time

from django.test import Client
from django.utils import timezone

from bench.timing import measure, row

LOTS = 100_000


def _synthetic_head(lots: int):
    """A genuine signed head over `lots` leaves (synthetic lots: one leaf each)."""
    from traceability import checkpoints, merkle
    from traceability.models import Checkpoint, TreeLeaf

    leaves = [
        TreeLeaf(index=i, gtin="08930000000000", lot=f"S{i:07d}", events=3, head=f"{i:064x}")
        for i in range(lots)
    ]
    root = merkle.Tree([checkpoints.leaf_hash_of(leaf) for leaf in leaves]).root()
    now = timezone.now()
    payload = checkpoints.head_payload(lots, root, now, checkpoints.key_id())
    head = Checkpoint.objects.create(
        tree_size=lots,
        root_hash=root.hex(),
        signed_at=now,
        payload=payload,
        signature=checkpoints.b64(checkpoints.private_key().sign(payload.encode())),
        key_id=checkpoints.key_id(),
    )
    for leaf in leaves:
        leaf.checkpoint = head
    TreeLeaf.objects.bulk_create(leaves, batch_size=5_000)
    return head


def run() -> None:
    from traceability import checkpoints
    from traceability.models import Batch
    from traceability.selectors import gtin14

    started = time.perf_counter()
    first = _synthetic_head(LOTS)
    print(
        f"  (built and signed a head over {LOTS:,} leaves in {time.perf_counter() - started:.1f} s)"
    )
    started = time.perf_counter()
    second, _ = checkpoints.sign_checkpoint()
    print(
        f"sign_checkpoint: log of {LOTS:,} verified, {second.tree_size - LOTS} lots appended "
        f"in {time.perf_counter() - started:.2f} s"
    )
    client = Client()
    batch = Batch.objects.select_related("product").filter(events__isnull=False).first()
    gtin = gtin14(batch.product)
    proof = client.get("/truy-xuat/cay/chung-minh.json", {"gtin": gtin, "lot": batch.lot})
    (leaf,) = proof.json()["leaves"]
    print(
        f"inclusion proof of one lot in {second.tree_size:,} leaves: "
        f"{len(leaf['inclusionProof'])} hashes = {32 * len(leaf['inclusionProof'])} B raw, "
        f"{len(proof.content)} B as served (JSON)"
    )
    consistency = client.get(
        "/truy-xuat/cay/nhat-quan.json", {"first": first.tree_size, "second": second.tree_size}
    )
    hashes = len(consistency.json()["proof"])
    print(
        f"consistency proof {first.tree_size:,} → {second.tree_size:,}: {hashes} hashes = "
        f"{32 * hashes} B raw, {len(consistency.content)} B as served"
    )
    _, tree, _ = checkpoints.tree_snapshot()
    deepest = max(len(tree.inclusion_proof(i, tree.size)) for i in (0, tree.size // 2))
    print(f"deepest inclusion proof in {tree.size:,} leaves: {deepest} hashes = {32 * deepest} B")
    heads = client.get("/truy-xuat/diem-neo.json")
    print(f"signed head list (2 heads): {len(heads.content)} B")
    figures = measure(lambda: checkpoints.verify_log(fresh=True), repeat=3, warmup=0)
    print(row(f"verify the whole log ({second.tree_size:,} leaves)", figures))
    figures = measure(lambda: checkpoints.verify_log(), repeat=5, warmup=1)
    print(row("  the same, tree reused (per page view)", figures))
    path = f"/01/{gtin}/10/{batch.lot}"
    figures = measure(lambda: client.get(path, HTTP_ACCEPT="application/ld+json"), repeat=10)
    print(row(f"trace JSON-LD with integrity at {LOTS:,} lots", figures))
