"""The office's files in Vietnamese Excel: shares rounded as on the pages, CSV with a BOM (and
a ';' variant for Vietnamese regional settings), XLSX with a frozen header and fitted columns."""

import csv
import datetime
import io
from fractions import Fraction

import pytest
from django.template import Context, Template
from django.utils import translation
from openpyxl import load_workbook

from marketplace.coverage import exports
from marketplace.coverage.services import CoverageRow
from marketplace.numbers import NBSP
from tests.marketplace.coverage.test_views import office_client  # noqa: F401 (fixture)

ROW = CoverageRow("1", "Thực phẩm", certified=220, online=159)  # 72.2727… %


def _table() -> exports.Table:
    return exports._breakdown("nhom", "Theo nhóm sản phẩm", "Nhóm", [ROW])


def _csv_rows(data: bytes, separator: str = ",") -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=separator))


def test_159_of_220_is_72_3_percent_on_the_page_and_in_every_file():
    with translation.override("vi"):
        page = Template("{% load coverage_tags %}{{ row.ratio|percent }}").render(
            Context({"row": ROW})
        )
    assert page == f"72,3{NBSP}%"
    assert _csv_rows(exports.to_csv(_table()))[1][-1] == "72.3%"
    vietnamese = exports.to_csv(_table(), exports.CSV_EXCEL_VI)
    assert _csv_rows(vietnamese, ";")[1][-1] == "72,3%"
    cell = load_workbook(io.BytesIO(exports.to_xlsx([_table()]))).active["E2"]
    assert (cell.value, cell.number_format) == (0.723, "0.0%")  # Excel shows 72,3%


def test_the_semicolon_csv_keeps_cells_with_commas_whole():
    table = exports.Table("x", "x", ["Địa chỉ", "Tỷ lệ"], [["Tổ 5, ấp Long Hòa", Fraction(1, 3)]])
    text = exports.to_csv(table, exports.CSV_EXCEL_VI).decode("utf-8-sig")
    assert text.splitlines() == ["Địa chỉ;Tỷ lệ", "Tổ 5, ấp Long Hòa;33,3%"]


def test_xlsx_freezes_the_header_and_fits_each_column():
    long_address = "Số 12, đường Trần Hưng Đạo, khóm Đông Thịnh 6, phường Mỹ Phước"
    table = exports.Table(
        "x",
        "Chưa trực tuyến",
        ["Sản phẩm", "Số sao", "Hết hạn", "Địa chỉ", REVENUE := exports.REVENUE_HEADER],
        [
            ["Mắm thái đu đủ Châu Đốc loại đặc biệt", 4, datetime.date(2027, 4, 4), "Tổ 5", 12],
            ["Khô cá lóc", 3, datetime.date(2026, 1, 1), long_address * 2, 1_250_000_000],
        ],
    )
    sheet = load_workbook(io.BytesIO(exports.to_xlsx([table]))).active
    assert sheet.freeze_panes == "A2"
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDE"}
    assert widths["A"] >= len("Mắm thái đu đủ Châu Đốc loại đặc biệt")
    assert len("Số sao") <= widths["B"] < 15  # a narrow column stays narrow
    assert widths["C"] >= len("dd/mm/yyyy")
    assert widths["D"] == exports.MAX_COLUMN_WIDTH  # very long text is capped
    assert widths["E"] >= max(len(REVENUE), len("1,250,000,000"))
    assert sheet["E3"].number_format == "#,##0" and sheet["C2"].number_format == "DD/MM/YYYY"


@pytest.mark.django_db
def test_every_exported_sheet_is_frozen_and_fitted(sample_register, office_client):  # noqa: F811
    response = office_client.get("/office/xuat/tat-ca.xlsx?ngay=2026-11-27")
    workbook = load_workbook(io.BytesIO(response.content))
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        for column in sheet.iter_cols(min_row=1, max_row=1):
            header = column[0]
            width = sheet.column_dimensions[header.column_letter].width
            assert width >= len(str(header.value)), (sheet.title, header.value, width)


@pytest.mark.django_db
def test_csv_for_vietnamese_excel_on_the_export_url(sample_register, office_client):  # noqa: F811
    default = office_client.get("/office/xuat/nhom.csv?ngay=2026-11-27")
    semicolon = office_client.get("/office/xuat/nhom.csv?ngay=2026-11-27&phan_cach=cham-phay")
    assert semicolon.status_code == 200
    rows = _csv_rows(semicolon.content, ";")
    assert rows[0] == ["Nhóm", "Tên", "Được chứng nhận", "Trực tuyến", "Tỷ lệ"]
    assert rows[1] == ["1", "Thực phẩm", "139", "103", "74,1%"]
    assert _csv_rows(default.content)[1][-1] == "74.1%"  # the default stays comma-separated
    page = office_client.get("/office/?ngay=2026-11-27").content.decode()
    assert f"74,1{NBSP}%" in page  # the same digits on the page
    assert "phan_cach=cham-phay" in page
    bad = office_client.get("/office/xuat/nhom.csv?phan_cach=tab")
    assert bad.status_code == 404
