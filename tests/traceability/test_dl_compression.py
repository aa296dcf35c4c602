"""GS1 Digital Link compression: the decoder against published examples and against GS1's own
prototype toolkit (npm digital-link.js, pinned in tests/traceability/gs1-toolkit), and the
resolver answering compressed URIs in place with `Link: <uncompressed>; rel="owl:sameAs"`."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.services import need
from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT, SERIALISED_GTIN, SERIALISED_LOT
from traceability import dl_compression, resolver_http
from traceability.selectors import find_batch

TOOLKIT = Path(os.environ.get("GS1_TOOLKIT_DIR", Path(__file__).parent / "gs1-toolkit"))
LOT_URI = f"/01/0{SAMPLE_GTIN}/10/{SAMPLE_LOT}"


def decompressed_uri(compressed: str) -> str:
    stem, _, segment = compressed.rpartition("/")
    return dl_compression.to_uri(dl_compression.decompress_segment(segment), stem)


# Published examples: GS1's compression prototype (README) and digital-link.js (README).
@pytest.mark.parametrize(
    "compressed, uncompressed",
    [
        ("https://id.gs1.org/ARHKVAdpQg", "https://id.gs1.org/01/09780345418913"),
        ("https://dlnkd.tn.gg/DBHKVAdpQgqrCg", "https://dlnkd.tn.gg/01/09780345418913/21/43786"),
    ],
)
def test_published_examples(compressed, uncompressed):
    assert decompressed_uri(compressed) == uncompressed


@pytest.mark.parametrize(
    "segment",
    ["", "A", "AB==", "ARHKVAdpQ!", "_" * 12, "ZZZZZZZZZZZZ", "A" * 401, "ARHKVAdpQgAB", "ARHK"],
)
def test_garbage_is_refused_not_guessed(segment):
    with pytest.raises(dl_compression.CompressionError):
        dl_compression.decompress_segment(segment)


def toolkit(job: dict) -> dict:
    node = shutil.which("node")
    need(
        node is not None and (TOOLKIT / "node_modules" / "digital-link.js").exists(),
        "needs node and GS1's toolkit: npm ci --prefix tests/traceability/gs1-toolkit "
        "(.ci/services/gs1-toolkit.sh)",
    )
    result = subprocess.run(
        [node, str(TOOLKIT / "dl.js")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


URIS = [
    "https://example.vn/01/08933810630018",
    f"https://example.vn/01/0{SAMPLE_GTIN}/10/{SAMPLE_LOT}",
    "https://example.vn/01/08933810630018/10/abc/21/XYZ123",
    "https://example.vn/01/08933810630018/10/A%26B-1.x/21/S%25%27",  # GS1 punctuation
    "https://example.vn/01/08933810630018/10/12345",  # all-numeric lot: numeric encoding
    "https://example.vn/01/08933810630018/10/deadbeef",  # lower-case hex encoding
    "https://example.vn/01/08933810630018/10/DEADBEEF",  # upper-case hex encoding
    "https://example.vn/01/08933810630018/21/ab?17=261231",
    "https://example.vn/01/09780345418913/10/ABC?17=261231&3103=000189",
]


def test_decoder_agrees_with_gs1_prototype_on_its_own_compressions():
    answers = toolkit({"compress": URIS})
    compressed = [a["ok"] for a in answers["compress"] + answers["compressPlain"]]
    theirs = toolkit({"decompress": compressed})["decompress"]
    for original, packed, back in zip(URIS + URIS, compressed, theirs, strict=True):
        assert decompressed_uri(packed) == original == back["ok"], packed


def test_resolver_parses_only_what_gs1_toolkit_calls_a_digital_link():
    candidates = [
        f"https://example.vn/01/0{SAMPLE_GTIN}",
        f"https://example.vn/01/0{SAMPLE_GTIN}/10/{SAMPLE_LOT}",
        f"https://example.vn/01/0{SAMPLE_GTIN}/10/{SAMPLE_LOT}/21/X1",
        f"https://example.vn/01/0{SAMPLE_GTIN}/10/{SAMPLE_LOT}/foo",
        f"https://example.vn/01/0{SAMPLE_GTIN}/99/X",
        f"https://example.vn/01/0{SAMPLE_GTIN}/21/X1/10/L1",
        "https://example.vn/01/08933810630019/10/L1",  # wrong check digit
    ]
    verdicts = toolkit({"valid": candidates})["valid"]
    for uri, verdict in zip(candidates, verdicts, strict=True):
        gs1_says_valid = verdict.get("ok") is True
        try:
            resolver_http.parse_path(uri.split("/01/", 1)[1])
            ours = True
        except resolver_http.Malformed:
            ours = False
        assert ours == gs1_says_valid, uri


@pytest.mark.django_db
def test_compressed_uri_is_answered_in_place_with_owl_same_as(client):
    compressed = toolkit({"compress": [f"http://testserver{LOT_URI}"]})["compress"][0]["ok"]
    path = compressed.removeprefix("http://testserver")
    direct, packed = client.get(LOT_URI), client.get(path)
    assert packed.status_code == direct.status_code == 200  # no redirect at all
    assert f'<http://testserver{LOT_URI}>; rel="owl:sameAs"' in packed["Link"]
    assert f'<http://testserver{LOT_URI}?linkType=linkset>; rel="linkset"' in packed["Link"]
    assert "Hành trình của lô hàng" in packed.content.decode()
    linkset = json.loads(client.get(f"{path}?linkType=linkset").content)
    assert linkset["linkset"][0]["anchor"] == f"http://testserver{LOT_URI}"  # uncompressed


@pytest.mark.django_db
def test_compressed_gtin_serial_and_partial_forms(client):
    batch = find_batch(SERIALISED_GTIN, SERIALISED_LOT)
    serial = batch.unit_serials.first().serial
    serial_uri = f"/01/0{SERIALISED_GTIN}/10/{SERIALISED_LOT}/21/{serial}"
    packed = toolkit({"compress": [f"http://testserver/01/0{SAMPLE_GTIN}"]})["compress"][0]["ok"]
    gtin_only = client.get(packed.removeprefix("http://testserver"))
    assert gtin_only.status_code == 307 and "/san-pham/" in gtin_only["Location"]
    assert 'rel="owl:sameAs"' in gtin_only["Link"]
    compressed = toolkit({"compress": [f"http://testserver{serial_uri}"]})["compress"][0]["ok"]
    unit = client.get(compressed.removeprefix("http://testserver"))
    assert unit.status_code == 200 and serial in unit.content.decode()
    # Partially compressed: the GTIN in clear, then only the lot compressed.
    partial = client.get(f"/01/0{SAMPLE_GTIN}/{lot_segment(SAMPLE_LOT)}")
    assert partial.status_code == 200 and SAMPLE_LOT in partial.content.decode()
    assert f'<http://testserver{LOT_URI}>; rel="owl:sameAs"' in partial["Link"]


def lot_segment(lot: str) -> str:
    """AI 10 alone, laid out as the spec says: AI (2 hex digits), encoding 4 (7-bit ASCII),
    5 length bits (AI 10 holds up to 20), the characters, zero padding to whole base64."""
    bits = "00010000" + "100" + f"{len(lot):05b}" + "".join(f"{ord(c):07b}" for c in lot)
    bits += "0" * (-len(bits) % 6)
    return "".join(
        dl_compression.BASE64URL[int(bits[i : i + 6], 2)] for i in range(0, len(bits), 6)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/san-pham/", "/healthz", "/ZZZZZZZZZZZZZZ", "/abcdefghijkl"])
def test_other_root_paths_are_not_taken_for_compressed_links(client, path):
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert "owl:sameAs" not in response.get("Link", "")


@pytest.mark.django_db
def test_partially_compressed_tail_and_a_bad_one(client):
    assert client.get(f"/01/0{SAMPLE_GTIN}/AAAAAA").status_code == 400
    assert client.get(f"/01/0{SAMPLE_GTIN}/foo").status_code == 400


@pytest.mark.django_db
def test_compressed_scans_count_against_the_scan_limit_like_uncompressed_ones(
    client, settings, monkeypatch
):
    from django.core.cache import cache

    from config import ratelimit

    settings.RATE_LIMITS_ENABLED = True
    # A small budget in a long window: 121 scans of the real 120-a-minute budget could straddle
    # a fixed window's edge on a slow machine and never reach the limit.
    monkeypatch.setitem(ratelimit.LIMITS, "scan", ratelimit.Limit(6, 3600))
    cache.clear()
    packed = toolkit({"compress": [f"http://testserver{LOT_URI}"]})["compress"][0]["ok"]
    path = packed.removeprefix("http://testserver")
    try:
        statuses = [client.get(path if i % 2 else LOT_URI).status_code for i in range(6)]
        assert statuses == [200] * 6
        assert client.get(path).status_code == 429  # the compressed scan is the one refused
        assert client.get(path, REMOTE_ADDR="10.0.0.7").status_code == 200  # per client
    finally:
        cache.clear()
