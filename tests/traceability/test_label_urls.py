"""Labels encode SITE_URL (scheme, host, port) unless a separate TRACE_DOMAIN is set, and
`make run PORT=…` sets SITE_URL, so the QR codes of a local run open on that very server."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import zxingcpp
from django.test import override_settings
from PIL import Image

from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT
from traceability import digital_link, labels
from traceability.selectors import find_batch

ROOT = Path(__file__).resolve().parents[2]


def _settings_in_a_fresh_process(**env) -> str:
    script = (
        "import django; django.setup(); from traceability import digital_link; "
        f"print(digital_link.uri('{SAMPLE_GTIN}', 'L1'))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "TRACE_DOMAIN")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip()


def test_site_url_with_its_port_is_what_labels_encode():
    assert _settings_in_a_fresh_process(SITE_URL="http://192.168.1.20:9123") == (
        f"http://192.168.1.20:9123/01/0{SAMPLE_GTIN}/10/L1"
    )
    assert _settings_in_a_fresh_process(
        SITE_URL="http://127.0.0.1:9123", TRACE_DOMAIN="truyxuat.example.vn"
    ) == (f"https://truyxuat.example.vn/01/0{SAMPLE_GTIN}/10/L1")


@pytest.mark.django_db
@override_settings(SITE_URL="http://127.0.0.1:9123", TRACE_DOMAIN="127.0.0.1:9123")
def test_the_printed_qr_code_opens_on_the_local_server():
    batch = find_batch(SAMPLE_GTIN, SAMPLE_LOT)
    image = Image.open(io.BytesIO(labels.label_png(batch)))
    [code] = zxingcpp.read_barcodes(image)
    assert code.text == f"http://127.0.0.1:9123/01/0{SAMPLE_GTIN}/10/{SAMPLE_LOT}"
    assert digital_link.base_url() == "http://127.0.0.1:9123"


def test_make_run_sets_site_url_from_host_and_port():
    dry = subprocess.run(
        ["make", "-n", "run", "PORT=9123", "HOST=127.0.0.1"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "SITE_URL"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert "SITE_URL='http://127.0.0.1:9123'" in dry and "--bind '127.0.0.1:9123'" in dry
