"""Reading a register file (.csv in UTF-8 or Windows-1258, or .xlsx) into raw rows.

Only the file's shape is checked here (encoding, headers, emptiness, size); the meaning of each
cell is the importer's job. Headers are matched folded, so 'Tên sản phẩm' reads as
'ten_san_pham' — the office's own spelling of the sample headers.

A file is untrusted: columns, line length, rows and an XLSX's unpacked size are limited before
anything costly runs, so a hostile file is refused in milliseconds with a message, not a 500.
"""

import csv
import datetime
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from marketplace.coverage.errors import CoverageError
from marketplace.errors import DomainError
from marketplace.text import fold

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# A register has ten columns and lines of a few hundred characters; 50,000 rows is the largest
# seen (the benchmark). The limits leave ample room and stop what no register needs.
MAX_COLUMNS = 50
MAX_LINE_CHARS = 10_000
MAX_ROWS = 100_000
# An .xlsx is a zip: its members' sizes come from the central directory before openpyxl opens
# it (zipfile never inflates a member past its declared size). 50,000 rows unpack to ~30 MB.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_XLSX_MEMBERS = 1_000


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
                CoverageError.BAD_FILE, _("tệp không phải UTF-8 hay Windows-1258"), None
            ) from None


def _number(value: int) -> str:
    grouped = f"{value:,}"  # 10,000 in English, 10.000 in Vietnamese (as the money is)
    return grouped if get_language() == "en" else grouped.replace(",", ".")


def _line_too_long(line: int) -> DomainError:
    return DomainError(
        CoverageError.LINE_TOO_LONG,
        _("dòng %(line)s dài quá %(limit)s ký tự")
        % {"line": line, "limit": _number(MAX_LINE_CHARS)},
    )


def _bounded_lines(text: str) -> Iterator[str]:
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise _line_too_long(number)
        yield line


def _csv_table(data: bytes) -> Iterable[list[object]]:
    text = decode_csv(data)
    # Excel set to Vietnamese saves "CSV" with semicolons (the comma is the decimal mark).
    first_line = text.split("\n", 1)[0][:MAX_LINE_CHARS]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(_bounded_lines(text), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:  # a quoted cell that never ends, a NUL byte…
        raise DomainError(
            CoverageError.BAD_FILE,
            _("dòng %(line)s: tệp CSV hỏng (dấu ngoặc kép không đóng, ô quá dài hoặc ký tự NUL)")
            % {"line": reader.line_num},
        ) from None


def _check_archive(data: bytes) -> None:
    """Refuse a zip bomb from the central directory alone, before anything is inflated."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DomainError(
            CoverageError.BAD_FILE, _("không đọc được tệp Excel: %(error)s") % {"error": exc}
        ) from None
    unpacked = sum(m.file_size for m in members)
    if len(members) > MAX_XLSX_MEMBERS or unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise DomainError(
            CoverageError.FILE_TOO_LARGE,
            _("tệp Excel giải nén ra %(size)s MB, quá giới hạn %(limit)s MB")
            % {
                "size": _number(round(unpacked / 1024 / 1024)),
                "limit": MAX_XLSX_UNPACKED_BYTES // 1024 // 1024,
            },
        )


def _xlsx_table(data: bytes) -> Iterable[list[object]]:
    from openpyxl import load_workbook

    _check_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several unrelated types for a broken file
        raise DomainError(
            CoverageError.BAD_FILE, _("không đọc được tệp Excel: %(error)s") % {"error": exc}
        ) from exc
    try:
        # One column past the limit is enough to tell a too-wide sheet; a sheet that claims a
        # huge dimension is never padded out to it.
        rows = workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        yield from (list(row) for row in rows)
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
        raise DomainError(
            CoverageError.UNSUPPORTED_FILE,
            _("chỉ nhận tệp .csv hoặc .xlsx, không nhận '%(suffix)s'") % {"suffix": suffix},
        )

    rows = iter(table)
    header_line = 0
    headers: list[str] = []
    for raw in rows:  # the first non-blank row is the header
        header_line += 1
        if any(_blank(c) is False for c in raw):
            while raw and _blank(raw[-1]):  # Excel often carries empty trailing columns
                raw = raw[:-1]
            if len(raw) > MAX_COLUMNS:
                raise DomainError(
                    CoverageError.TOO_MANY_COLUMNS,
                    _("dòng tiêu đề %(line)s có hơn %(limit)s cột")
                    % {"line": header_line, "limit": MAX_COLUMNS},
                )
            headers = [header_key(c) for c in raw]
            break
    if not headers:
        raise DomainError(CoverageError.EMPTY_FILE, _("tệp trống, không có tiêu đề và dữ liệu"))
    while headers and not headers[-1]:  # e.g. a trailing "---" column
        headers.pop()

    known = required | optional
    unknown = [h or _("(trống)") for h in headers if h not in known]
    missing = sorted(required - set(headers))
    duplicated = sorted(h for h, n in Counter(headers).items() if n > 1)
    problems = []
    if missing:
        problems.append(_("thiếu cột: %(columns)s") % {"columns": ", ".join(missing)})
    if unknown:
        problems.append(_("cột không biết: %(columns)s") % {"columns": ", ".join(unknown)})
    if duplicated:
        problems.append(_("cột lặp: %(columns)s") % {"columns": ", ".join(duplicated)})
    if problems:
        raise DomainError(
            CoverageError.BAD_HEADERS,
            _("dòng tiêu đề %(line)s: %(problems)s")
            % {"line": header_line, "problems": "; ".join(problems)},
        )

    result = []
    for offset, raw in enumerate(rows, start=header_line + 1):
        if all(_blank(c) for c in raw):
            continue
        if len(result) == MAX_ROWS:
            raise DomainError(
                CoverageError.TOO_MANY_ROWS,
                _("tệp có hơn %(limit)s dòng dữ liệu; hãy chia thành nhiều tệp")
                % {"limit": _number(MAX_ROWS)},
            )
        if len(raw) > len(headers) and any(not _blank(c) for c in raw[len(headers) :]):
            raise DomainError(
                CoverageError.EXTRA_CELLS,
                _("dòng %(offset)s: có nhiều ô hơn số cột tiêu đề") % {"offset": offset},
            )
        cells = {h: (raw[i] if i < len(raw) else None) for i, h in enumerate(headers)}
        result.append(RawRow(offset, cells))
    if not result:
        raise DomainError(CoverageError.EMPTY_FILE, _("tệp chỉ có dòng tiêu đề, không có dữ liệu"))
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
