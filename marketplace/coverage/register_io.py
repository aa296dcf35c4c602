"""Reading a register file (.csv in UTF-8 or Windows-1258, or .xlsx) into raw rows.

Only the file's shape is checked here (encoding, headers, emptiness); the meaning of each
cell is the importer's job. Headers are matched folded, so 'Tên sản phẩm' reads as
'ten_san_pham' — the office's own spelling of the sample headers.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from marketplace.errors import DomainError
from marketplace.text import fold

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@dataclass
class RawRow:
    line: int  # the line (CSV) or sheet row (XLSX) number, header = 1
    cells: dict[str, object]


def header_key(text: object) -> str:
    return _NON_ALNUM.sub("_", fold(str(text or ""))).strip("_")


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; anything else is taken as Windows-1258."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1258")
        except UnicodeDecodeError:
            raise DomainError(
                "BAD_ENCODING", "tệp không phải UTF-8 hay Windows-1258", None
            ) from None


def _csv_table(data: bytes) -> Iterable[list[object]]:
    text = decode_csv(data)
    # Excel set to Vietnamese saves "CSV" with semicolons (the comma is the decimal mark).
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_table(data: bytes) -> Iterable[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        raise DomainError("BAD_FILE", f"không đọc được tệp Excel: {exc}", None) from exc
    try:
        yield from (
            [cell for cell in row] for row in workbook.worksheets[0].iter_rows(values_only=True)
        )
    finally:
        workbook.close()


def read_table(
    data: bytes,
    filename: str,
    required: set[str],
    optional: set[str],
) -> list[RawRow]:
    """Rows keyed by the canonical header; blank lines are skipped.

    Raises DomainError for an unknown type, a missing or unknown column, or no data rows.
    """
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        table = _csv_table(data)
    elif suffix == ".xlsx":
        table = _xlsx_table(data)
    else:
        raise DomainError("BAD_FILE_TYPE", f"chỉ nhận tệp .csv hoặc .xlsx, không nhận '{suffix}'")

    rows = iter(table)
    header_line = 0
    headers: list[str] = []
    for raw in rows:  # the first non-blank row is the header
        header_line += 1
        if any(_blank(c) is False for c in raw):
            headers = [header_key(c) for c in raw]
            break
    if not headers:
        raise DomainError("EMPTY_FILE", "tệp trống, không có tiêu đề và dữ liệu")
    while headers and not headers[-1]:  # Excel often carries empty trailing columns
        headers.pop()

    known = required | optional
    unknown = [h or "(trống)" for h in headers if h not in known]
    missing = sorted(required - set(headers))
    duplicated = sorted({h for h in headers if headers.count(h) > 1})
    problems = []
    if missing:
        problems.append(f"thiếu cột: {', '.join(missing)}")
    if unknown:
        problems.append(f"cột không biết: {', '.join(unknown)}")
    if duplicated:
        problems.append(f"cột lặp: {', '.join(duplicated)}")
    if problems:
        raise DomainError("BAD_HEADERS", f"dòng tiêu đề {header_line}: " + "; ".join(problems))

    result = []
    for offset, raw in enumerate(rows, start=header_line + 1):
        if all(_blank(c) for c in raw):
            continue
        if len(raw) > len(headers) and any(not _blank(c) for c in raw[len(headers) :]):
            raise DomainError("EXTRA_CELLS", f"dòng {offset}: có nhiều ô hơn số cột tiêu đề")
        cells = {h: (raw[i] if i < len(raw) else None) for i, h in enumerate(headers)}
        result.append(RawRow(offset, cells))
    if not result:
        raise DomainError("EMPTY_FILE", "tệp chỉ có dòng tiêu đề, không có dữ liệu")
    return result


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def cell_text(value: object) -> str:
    """A cell as text: Excel numbers like 3.0 become '3', dates dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)
