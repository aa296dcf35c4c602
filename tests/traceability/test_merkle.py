"""RFC 9162 trees: every inclusion and consistency proof up to 40 leaves verifies, and a
proof for the wrong leaf, size or root does not."""

import hashlib

from traceability import merkle


def _reference_root(leaves: list[bytes]) -> bytes:
    """MTH exactly as RFC 9162 §2.1.1 writes it, recursively, to check the level builder."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return merkle.node_hash(_reference_root(leaves[:k]), _reference_root(leaves[k:]))


def _leaves(n):
    return [merkle.leaf_hash(f"leaf {i}".encode()) for i in range(n)]


def test_roots_of_every_prefix_match_the_rfc_definition():
    leaves = _leaves(40)
    tree = merkle.Tree(leaves)
    for size in range(41):
        assert tree.root(size) == _reference_root(leaves[:size])


def test_leaf_and_node_hashes_carry_the_rfc_prefixes():
    assert merkle.leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert merkle.node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()


def test_every_inclusion_proof_verifies_and_only_for_its_leaf():
    leaves = _leaves(40)
    tree = merkle.Tree(leaves)
    for size in range(1, 41):
        root = tree.root(size)
        for index in range(size):
            proof = tree.inclusion_proof(index, size)
            assert merkle.verify_inclusion(index, size, leaves[index], proof, root)
            other = leaves[(index + 1) % size]
            if size > 1:
                assert not merkle.verify_inclusion(index, size, other, proof, root)
                assert not merkle.verify_inclusion(index, size, leaves[index], proof, b"x" * 32)


def test_every_consistency_proof_verifies_and_a_changed_history_does_not():
    leaves = _leaves(40)
    tree = merkle.Tree(leaves)
    changed = merkle.Tree([merkle.leaf_hash(b"rewritten")] + leaves[1:])
    for second in range(1, 41):
        for first in range(1, second + 1):
            proof = tree.consistency_proof(first, second)
            assert merkle.verify_consistency(
                first, second, tree.root(first), tree.root(second), proof
            )
            if first < second:
                assert not merkle.verify_consistency(
                    first, second, changed.root(first), tree.root(second), proof
                )
