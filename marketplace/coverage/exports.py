"""The dashboard's tables as CSV (UTF-8 with BOM, so Excel shows Vietnamese) and XLSX.

Shares are rounded once, as the pages round them (marketplace.numbers): "72.3%" in the default
CSV (comma-separated, decimal point), "72,3%" in the CSV for Excel in Vietnamese regional
settings (there the list separator is ";" and the decimal mark ","), 0.723 shown as 72,3% by
the percentage format in XLSX.
"""

import csv
import io
import re
from dataclasses import dataclass
from fractions import Fraction

from marketplace.coverage.sales import OcopSales, SalesRow
from marketplace.coverage.services import Coverage, CoverageRow, TrendPoint
from marketplace.numbers import exact, percent_text, share_for_file
from marketplace.spreadsheet import safe_cell

REVENUE_HEADER = "Doanh thu (đồng)"
SHARE_HEADERS = ("Tỷ lệ", "Mục tiêu")
DATE_HEADERS = ("Ngày", "Hết hạn", "Từ ngày", "Đến ngày")
MAX_COLUMN_WIDTH = 60  # characters; longer text (addresses) wraps in Excel's cell editor


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file separates cells and writes decimals."""

    separator: str
    decimal_mark: str


# The default (CONTRACT: comma-separated) and the one for Excel in Vietnamese regional settings.
CSV_DEFAULT = CsvDialect(",", ".")
CSV_EXCEL_VI = CsvDialect(";", ",")
CSV_DIALECTS = {"": CSV_DEFAULT, "cham-phay": CSV_EXCEL_VI}  # ?phan_cach=cham-phay


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list]


def _breakdown(slug: str, title: str, key_header: str, rows: list[CoverageRow]) -> Table:
    return Table(
        slug,
        title,
        [key_header, "Tên", "Được chứng nhận", "Trực tuyến", "Tỷ lệ"],
        [[r.key, r.label, r.certified, r.online, r.ratio] for r in rows],
    )


def coverage_tables(coverage: Coverage, trend: list[TrendPoint]) -> dict[str, Table]:
    tables = [
        Table(
            "tong-hop",
            "Tổng hợp",
            ["Ngày", "Được chứng nhận", "Trực tuyến", "Tỷ lệ", "Mục tiêu"],
            [
                [
                    coverage.as_of,
                    coverage.certified,
                    coverage.online,
                    coverage.ratio,
                    exact(coverage.target),
                ]
            ],
        ),
        _breakdown("xa-phuong", "Theo xã/phường", "Mã xã/phường", coverage.by_ward),
        _breakdown("nhom", "Theo nhóm sản phẩm", "Nhóm", coverage.by_group),
        _breakdown("sao", "Theo số sao", "Số sao", coverage.by_stars),
        _breakdown("loai-chu-the", "Theo loại chủ thể", "Loại", coverage.by_producer_kind),
        Table(
            "chua-truc-tuyen",
            "Sản phẩm chưa bán trực tuyến",
            [
                "Sản phẩm",
                "Số chứng nhận",
                "Số sao",
                "Bộ sản phẩm",
                "Hết hạn",
                "Chủ thể",
                "Xã/phường",
                "Điện thoại",
                "Email",
                "Địa chỉ",
            ],
            [
                [
                    n.product_name,
                    n.certificate_number or "",
                    n.stars,
                    n.product_set,
                    n.expires_on,
                    n.producer_name,
                    n.ward_name,
                    n.phone,
                    n.email,
                    n.address,
                ]
                for n in coverage.not_online
            ],
        ),
        Table(
            "xu-huong",
            "Theo tháng",
            ["Tháng", "Được chứng nhận", "Trực tuyến", "Tỷ lệ"],
            [[f"{p.month:%Y-%m}", p.certified, p.online, p.ratio] for p in trend],
        ),
    ]
    return {t.slug: t for t in tables}


def _sales_breakdown(slug: str, title: str, key_header: str, rows: list[SalesRow]) -> Table:
    return Table(
        slug,
        title,
        [key_header, "Tên", "Số đơn", "Số lượng", REVENUE_HEADER],
        [[r.key, r.label, r.orders, r.units, r.revenue] for r in rows],
    )


def sales_tables(sales: OcopSales) -> dict[str, Table]:
    """Marketplace sales of OCOP products (see sales.py for what is counted)."""
    tables = [
        Table(
            "doanh-so-tong-hop",
            "Doanh số tổng hợp",
            ["Từ ngày", "Đến ngày", "Số đơn", "Số lượng", REVENUE_HEADER],
            [[sales.date_from, sales.date_to, sales.orders, sales.units, sales.revenue]],
        ),
        _sales_breakdown(
            "doanh-so-xa-phuong", "Doanh số theo xã/phường", "Mã xã/phường", sales.by_ward
        ),
        _sales_breakdown("doanh-so-nhom", "Doanh số theo nhóm", "Nhóm", sales.by_group),
        _sales_breakdown("doanh-so-thang", "Doanh số theo tháng", "Tháng", sales.by_month),
    ]
    return {t.slug: t for t in tables}


def _cell_text(value, dialect: CsvDialect) -> str:
    if isinstance(value, Fraction):
        return percent_text(value, decimal_mark=dialect.decimal_mark, space="")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)


def to_csv(table: Table, dialect: CsvDialect = CSV_DEFAULT) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=dialect.separator)
    writer.writerow([safe_cell(h) for h in table.headers])
    writer.writerows([_cell_text(safe_cell(v), dialect) for v in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _shown_width(value) -> int:
    """About how many characters Excel shows for a cell written by to_xlsx."""
    if isinstance(value, Fraction):
        return len(percent_text(value, space=""))
    if isinstance(value, int):
        return len(f"{value:,}")
    if hasattr(value, "strftime"):
        return len("dd/mm/yyyy")
    return max((len(line) for line in str(value or "").splitlines()), default=0)


def to_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table; dates stay dates, shares are formatted as percentages; the header
    row stays in view while scrolling and every column is as wide as its longest cell."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for table in tables:
        # Sheet names may not hold / \ ? * [ ] : and are at most 31 characters.
        sheet = workbook.create_sheet(title=re.sub(r"[\\/?*\[\]:]", "-", table.title)[:31])
        sheet.append([safe_cell(h) for h in table.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in table.rows:
            sheet.append(
                [share_for_file(v) if isinstance(v, Fraction) else safe_cell(v) for v in row]
            )
        for column, header in enumerate(table.headers, start=1):
            if header in SHARE_HEADERS:
                number_format = "0.0%"
            elif header == REVENUE_HEADER:
                number_format = "#,##0"
            elif header in DATE_HEADERS:
                number_format = "DD/MM/YYYY"
            else:
                number_format = None
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                    cell.number_format = number_format
            widest = max(
                [len(header) + 2]  # the bold header is a little wider
                + [_shown_width(row[column - 1]) for row in table.rows]
            )
            sheet.column_dimensions[get_column_letter(column)].width = min(
                widest + 2, MAX_COLUMN_WIDTH
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
