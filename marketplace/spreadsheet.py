"""Cells for files a person opens in a spreadsheet (CSV, XLSX): text never runs as a formula.

Every exporter writes its cells through `safe_cell`. A producer or register row named
`=HYPERLINK("http://…")` would otherwise be a live formula in the trade office's Excel
(openpyxl stores such a string as a formula; Excel and LibreOffice evaluate it from CSV).
"""

import io
import re
from dataclasses import dataclass, field

# OWASP "CSV injection": a text cell starting with one of these is taken for a formula. The
# full-width forms are included because Excel in East Asian locales reads them the same way.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value):
    """The value to write: text that would start a formula gets a leading apostrophe, which
    spreadsheets read as "this is text"; numbers, dates and other text are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: list[list]
    number_formats: dict[int, str] = field(default_factory=dict)  # 1-based column → format


MAX_COLUMN_WIDTH = 60  # characters; longer text (addresses) wraps in Excel's cell editor


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """An XLSX of these sheets: bold header row kept in view, columns as wide as their longest
    cell, every text cell through `safe_cell`, numbers left numbers (formatted per column)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        # Sheet names may not hold / \ ? * [ ] : and are at most 31 characters.
        sheet = workbook.create_sheet(title=re.sub(r"[\\/?*\[\]:]", "-", spec.title)[:31])
        sheet.append([safe_cell(h) for h in spec.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in spec.rows:
            sheet.append([safe_cell(v) for v in row])
        for column, header in enumerate(spec.headers, start=1):
            if number_format := spec.number_formats.get(column):
                for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                    cell.number_format = number_format
            widest = max(
                [len(header) + 2]
                + [len(f"{v:,}" if isinstance(v, int) else str(v)) for v in _column(spec, column)]
            )
            sheet.column_dimensions[get_column_letter(column)].width = min(
                widest + 2, MAX_COLUMN_WIDTH
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column(spec: Sheet, column: int):
    return (row[column - 1] for row in spec.rows if len(row) >= column)
