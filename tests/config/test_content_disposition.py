"""Download file names go through Django's content_disposition_header, never string formatting."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils.http import parse_header_parameters

from marketplace.access import office_group
from producers.models import Membership
from tests.traceability.conftest import SAMPLE_GTIN, SAMPLE_LOT
from traceability.models import Batch
from traceability.selectors import find_batch

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_lot_code_cannot_inject_a_header_parameter(client):
    sample = find_batch(SAMPLE_GTIN, SAMPLE_LOT)
    lot = 'Q"X;name=e.exe'  # every character is allowed in a GS1 lot (CSET 82)
    batch = Batch.objects.create(
        product=sample.product, lot=lot, packed_on=sample.packed_on, units=3
    )
    owner = get_user_model().objects.create_user("owner", password="x-Strong-pass-1")
    Membership.objects.create(user=owner, producer=sample.product.producer, role="owner")
    client.force_login(owner)
    response = client.get(f"/truy-xuat/lo/{batch.pk}/nhan.pdf")
    assert response.status_code == 200
    disposition, params = parse_header_parameters(response["Content-Disposition"])
    assert disposition == "inline"
    assert params == {"filename": f"nhan-{lot}.pdf"}


@pytest.mark.django_db
def test_export_names_are_plain_attachments(client):
    user = get_user_model().objects.create_user("can-bo", password="x-Strong-pass-1")
    user.groups.add(office_group())
    client.force_login(user)
    response = client.get("/office/xuat/nhom.csv?ngay=2026-11-27")
    disposition, params = parse_header_parameters(response["Content-Disposition"])
    assert (disposition, params) == (
        "attachment",
        {"filename": "ocop-truc-tuyen-2026-11-27-nhom.csv"},
    )


def test_no_code_formats_a_content_disposition_by_hand():
    handmade = re.compile(r"""["'](attachment|inline)\s*;|Content-Disposition"\]\s*=\s*f?["']""")
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("**/*.py")
        if not path.relative_to(ROOT).as_posix().startswith((".venv/", "tests/", "var/"))
        and handmade.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
