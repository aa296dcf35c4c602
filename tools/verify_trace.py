#!/usr/bin/env python3
"""Verify one lot's trace history from its GS1 Digital Link URI, trusting nothing but the
published signing keys: python3 tools/verify_trace.py https://HOST/01/GTIN/10/LOT

Standalone on purpose (Python 3.11+ and `cryptography` only, nothing of the project): it
implements docs/trace-verification.md from the text, so it is a second implementation of the
hashing, chaining, tree and signature rules. Exit status 0 when the lot is intact, 1 when
anything is broken, missing or forged, 2 when the documents cannot be fetched.
"""

import argparse
import base64
import datetime
import hashlib
import json
import math
import sys
import urllib.error
import urllib.parse
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HEAD_FORMAT = "ocop-trace-tree-head/1"
CLOCK_SKEW = datetime.timedelta(minutes=5)
OCOP_NS = "urn:ocop:ns:"

# ---------------------------------------------------------------- CBV 2.0 event hash (§8.9)

ORDER = (
    ("eventTime", "time"),
    ("eventTimeZoneOffset", "value"),
    ("parentID", "value"),
    ("epcList", "epcs"),
    ("inputEPCList", "epcs"),
    ("childEPCs", "epcs"),
    ("quantityList", "quantities"),
    ("childQuantityList", "quantities"),
    ("inputQuantityList", "quantities"),
    ("outputEPCList", "epcs"),
    ("outputQuantityList", "quantities"),
    ("action", "value"),
    ("transformationID", "value"),
    ("bizStep", "value"),
    ("disposition", "value"),
    ("readPoint", "id"),
    ("bizLocation", "id"),
)
LEFT_OUT = {"type", "eventID", "recordTime", "errorDeclaration", "@context"}


def canon_time(text):
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(datetime.UTC)
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def canon(value):
    text = str(value).strip()
    for old, new in (
        ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
        ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
        ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
        ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
        ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
    ):
        text = text.replace(old, new)
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number):
        return text
    return str(int(number)) if number == int(number) else str(number)


def pre_hash(event):
    out = "eventType=" + event["type"]
    for name, kind in ORDER:
        value = event.get(name)
        if value in (None, "", []):
            continue
        if kind == "time":
            out += f"{name}={canon_time(value)}"
        elif kind == "value":
            out += f"{name}={canon(value)}"
        elif kind == "id":
            out += f"{name}id={canon(value['id'])}"
        elif kind == "epcs":
            out += name + "".join(sorted(f"epc={canon(e)}" for e in value))
        else:
            parts = []
            for q in value:
                part = f"quantityElementepcClass={canon(q['epcClass'])}"
                if "quantity" in q:
                    part += f"quantity={canon(q['quantity'])}"
                if "uom" in q:
                    part += f"uom={canon(q['uom'])}"
                parts.append(part)
            out += name + "".join(sorted(parts))
    standard = {name for name, _ in ORDER}
    extensions = []
    for key, value in event.items():
        if key in LEFT_OUT or key in standard:
            continue
        prefix, _, local = key.partition(":")
        if prefix != "ocop" or not local:
            raise ValueError(f"unknown field {key}")
        for item in value if isinstance(value, list) else [value]:
            text = canon(item)
            extensions.append("{" + OCOP_NS + "}" + local + (f"={text}" if text else ""))
    return out + "".join(sorted(extensions))


def hash_id(hex_digest):
    return f"ni:///sha-256;{hex_digest}?ver=CBV2.0"


# ---------------------------------------------------------------- RFC 9162 Merkle proofs


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(index, size, leaf, proof, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, proof):
    if first == second:
        return not proof and first_root == second_root
    if first == 0 or first > second or not proof:
        return False
    if first & (first - 1) == 0:
        proof = [first_root, *proof]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


def leaf_bytes(gtin, lot, events, head):
    return f"ocop-trace-leaf/1\n{gtin}\n{lot}\n{events}\n{head}".encode()


# ---------------------------------------------------------------- fetching


class Unreachable(Exception):
    pass


def fetch(url, accept="application/json"):
    """JSON at url, or None for a 404; anything else is Unreachable."""
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read().decode())
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise Unreachable(f"{url}: HTTP {exc.code}")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise Unreachable(f"{url}: {exc}")


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def parse_uri(uri):
    parts = urllib.parse.urlsplit(uri)
    segments = [urllib.parse.unquote(s) for s in parts.path.strip("/").split("/")]
    if len(segments) < 4 or segments[0] != "01" or segments[2] != "10":
        raise ValueError("expected https://HOST/01/{gtin}/10/{lot}[/21/{serial}]")
    gtin = segments[1].zfill(14)
    base = f"{parts.scheme}://{parts.netloc}"
    lot_uri = f"{base}/01/{gtin}/10/{urllib.parse.quote(segments[3], safe='')}"
    return base, gtin, segments[3], lot_uri


# ---------------------------------------------------------------- the procedure


class Report:
    def __init__(self):
        self.problems = []
        self.notes = []

    def bad(self, code, text):
        self.problems.append(f"{code}: {text}")

    def note(self, text):
        self.notes.append(text)


def check_heads(base, report, now):
    keys = {
        k["keyId"]: unb64(k["publicKey"])
        for k in fetch(f"{base}/truy-xuat/khoa-cong-khai.json")["keys"]
    }
    valid = []
    for head in fetch(f"{base}/truy-xuat/diem-neo.json")["checkpoints"]:
        try:
            signed = json.loads(head["payload"])
            size, root = int(signed["treeSize"]), bytes.fromhex(signed["rootHash"])
            when = datetime.datetime.fromisoformat(signed["signedAt"].replace("Z", "+00:00"))
            assert signed["format"] == HEAD_FORMAT
        except (ValueError, KeyError, TypeError, AssertionError):
            report.bad("forged_checkpoint", "a published head is not a tree head")
            continue
        key = keys.get(signed["keyId"])
        try:
            if key is None:
                raise InvalidSignature
            Ed25519PublicKey.from_public_bytes(key).verify(
                unb64(head["signature"]), head["payload"].encode()
            )
        except (InvalidSignature, ValueError):
            report.bad(
                "forged_checkpoint",
                f"head of {size} leaves signed {signed['signedAt']}: bad signature",
            )
            continue
        if when > now + CLOCK_SKEW:
            report.bad(
                "forged_checkpoint",
                f"head of {size} leaves dated in the future ({signed['signedAt']})",
            )
            continue
        if valid and size < valid[-1][0]:
            report.bad("forged_checkpoint", f"head of {size} leaves is smaller than the one before")
            continue
        if valid and size != valid[-1][0]:
            first, first_root, _ = valid[-1]
            proof = fetch(f"{base}/truy-xuat/cay/nhat-quan.json?first={first}&second={size}")
            hashes = [bytes.fromhex(h) for h in (proof or {}).get("proof", [])]
            if not verify_consistency(first, size, first_root, root, hashes):
                report.bad(
                    "log_rewritten", f"heads of {first} and {size} leaves are not consistent"
                )
        elif valid and root != valid[-1][1]:
            report.bad("log_rewritten", f"two heads of {size} leaves with different roots")
        valid.append((size, root, when))
    report.note(f"{len(valid)} signed tree head(s) verified against {len(keys)} published key(s)")
    return valid


def check_lot(base, gtin, lot, lot_uri, heads, report):
    leaves = []
    if heads:
        size, root, when = heads[-1]
        query = urllib.parse.urlencode({"gtin": gtin, "lot": lot, "treeSize": size})
        proof = fetch(f"{base}/truy-xuat/cay/chung-minh.json?{query}") or {"leaves": []}
        for leaf in proof["leaves"]:
            data = leaf_bytes(gtin, lot, leaf["events"], leaf["head"])
            path = [bytes.fromhex(h) for h in leaf["inclusionProof"]]
            if verify_inclusion(leaf["index"], size, leaf_hash(data), path, root):
                leaves.append(leaf)
            else:
                report.bad("forged_checkpoint", f"leaf #{leaf['index']} is not in the signed tree")
        report.note(
            f"{len(leaves)} leaf/leaves of this lot proved in the head of {size} leaves "
            f"({when:%Y-%m-%d %H:%M} UTC)"
        )
    document = fetch(lot_uri, accept="application/ld+json")
    if document is None:
        if leaves:
            report.bad(
                "missing",
                f"the lot was signed with {leaves[-1]['events']} events but is no longer published",
            )
        else:
            report.bad("missing", "the lot is not published and was never signed")
        return None
    events = document["epcisBody"]["eventList"]
    digests, previous = [], ""
    for number, event in enumerate(events, start=1):
        digest = hashlib.sha256(pre_hash(event).encode()).hexdigest()
        link = event.get("ocop:prevDigest", "")
        if link != (hash_id(previous) if previous else ""):
            report.bad("reordered", f"event #{number} does not follow the one before it")
            break
        if "errorDeclaration" not in event and event.get("eventID") != hash_id(digest):
            report.bad("edited", f"event #{number}: its content does not hash to its eventID")
            break
        digests.append(digest)
        previous = digest
    for leaf in leaves:
        if leaf["events"] > len(digests):
            if len(digests) == len(events):
                report.bad(
                    "deleted", f"{leaf['events']} events were signed, {len(events)} are published"
                )
        elif digests[leaf["events"] - 1] != leaf["head"]:
            report.bad(
                "edited",
                f"the first {leaf['events']} events differ from those signed: history rewritten",
            )
    anchored = max((leaf["events"] for leaf in leaves), default=0)
    report.note(f"{len(events)} event(s), chain recomputed; {anchored} covered by a signed head")
    return anchored, len(events)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("uri", help="GS1 Digital Link URI of the lot (as in its QR code)")
    args = parser.parse_args(argv)
    try:
        base, gtin, lot, lot_uri = parse_uri(args.uri)
    except ValueError as exc:
        parser.error(str(exc))
    report = Report()
    now = datetime.datetime.now(datetime.UTC)
    try:
        heads = check_heads(base, report, now)
        counts = check_lot(base, gtin, lot, lot_uri, heads, report)
    except Unreachable as exc:
        print(f"cannot fetch: {exc}", file=sys.stderr)
        return 2
    for text in report.notes:
        print(text)
    for text in report.problems:
        print(f"PROBLEM {text}")
    if report.problems:
        print("BROKEN")
        return 1
    anchored, total = counts
    print("INTACT_ANCHORED" if anchored and anchored == total else "INTACT_UNANCHORED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
