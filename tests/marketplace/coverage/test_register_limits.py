"""Hostile register files are refused fast, with a message, never a 500 or a stalled worker."""

import io
import re
import tracemalloc

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from bench.coverage_import import HEADERS
from bench.hostile_register import xlsx_zip_bomb
from marketplace.access import OFFICE_GROUP
from marketplace.coverage import register_io
from marketplace.coverage.models import RegisterEntry
from tests.marketplace.coverage.test_register_import import GOOD, HEADER, csv_bytes, run

pytestmark = pytest.mark.django_db


def refused(data: bytes, name: str = "so.csv") -> str:
    """The summary of a refused import (how fast it is refused is measured by `make bench`,
    bench/hostile_register.py: it was 29-40 s before the limits)."""
    report = run(data, name)
    assert not report.written and RegisterEntry.objects.count() == 0
    return report.summary()


def xlsx(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_fifty_thousand_columns_are_refused_at_once():
    # Was 29 s: the duplicate check counted every header against every other.
    header = HEADER + "".join(f",cot_{i}" for i in range(50_000))
    assert "dòng 1 dài quá 10.000 ký tự" in refused(csv_bytes(GOOD, header=header))
    short = HEADER + ",c" * 50
    assert "dòng tiêu đề 1 có hơn 50 cột" in refused(csv_bytes(GOOD, header=short))
    widest = xlsx([[*HEADERS, *range(2_000)], GOOD.split(",")])
    assert "dòng tiêu đề 1 có hơn 50 cột" in refused(widest, "so.xlsx")


def test_many_duplicated_columns_are_named_once_each():
    header = HEADER + ",so_sao" * 30
    assert "cột lặp: so_sao" in refused(csv_bytes(GOOD, header=header))


def test_an_over_long_csv_line_is_a_message():
    # Was an uncaught csv.Error ("field larger than field limit"): a 500 on the upload page.
    long_line = GOOD.replace("Mắm thái", "Mắm" + " thái" * 40_000)
    assert "dòng 2 dài quá 10.000 ký tự" in refused(csv_bytes(long_line))


def test_a_quoted_cell_that_never_ends_is_a_message():
    endless = '1,"Mắm' + "\nthái" * 40_000
    assert "tệp CSV hỏng" in refused(csv_bytes(endless))


def test_rows_past_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(register_io, "MAX_ROWS", 3)
    rows = [GOOD.replace("001/", f"{i:03}/") for i in range(4)]
    assert "tệp có hơn 3 dòng dữ liệu" in refused(csv_bytes(*rows))
    assert "tệp có hơn 3 dòng dữ liệu" in refused(
        xlsx([HEADERS, *[r.split(",") for r in rows]]), "so.xlsx"
    )
    assert run(csv_bytes(*rows[:3])).written  # exactly at the limit is fine


def test_a_too_wide_sheet_is_refused():
    assert "có hơn 50 cột" in refused(xlsx([[*HEADERS, *range(60)], GOOD.split(",")]), "so.xlsx")


def test_an_xlsx_zip_bomb_is_refused_from_its_directory():
    # Was 40 s and 587 MB: openpyxl inflated and parsed the whole sheet.
    bomb = xlsx_zip_bomb(150)
    assert len(bomb) < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        message = refused(bomb, "so.xlsx")
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert re.search(r"tệp Excel giải nén ra 1[45]\d MB, quá giới hạn 100 MB", message), message
    assert peak < 20 * 1024 * 1024, f"{peak / 1e6:.0f} MB"


def test_a_broken_zip_is_a_message():
    assert "không đọc được tệp Excel" in refused(b"PK\x03\x04 not really", "so.xlsx")


def test_the_upload_page_answers_400_with_the_message_in_both_languages(
    client, django_capture_on_commit_callbacks
):
    user = User.objects.create_user("can-bo", password="mat-khau-dai-123")
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    client.force_login(user)
    long_line = csv_bytes(GOOD.replace("Mắm thái", "Mắm" + " thái" * 40_000))
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(
            "/office/nhap-so/", {"tep": SimpleUploadedFile("so.csv", long_line), "loai": "so"}
        )
    response = client.get(queued["Location"])
    assert response.status_code == 400
    assert "dòng 2 dài quá 10.000 ký tự" in response.content.decode()
    with translation.override("en"):
        summary = run(long_line).summary()
    assert "line 2 is longer than 10,000 characters" in summary
