"""Hostile register files: how fast each is refused (target: under 1 s; they took 29-40 s
before the import limits). Correctness of the refusals is in tests/marketplace/coverage."""

import datetime
import io
import time
import zipfile

from openpyxl import Workbook

from bench.coverage_import import HEADERS

GOOD = [
    "1",
    "Mắm thái Châu Đốc",
    "HTX Thủy sản An Phú",
    "Xã An Phú",
    "1.8",
    "3",
    "001/2025/OCOP-AG",
    "935/QĐ-UBND",
    "27/11/2025",
    "26/11/2028",
]
TARGET_S = 1.0


def _csv(header: str, *lines: str) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def xlsx_zip_bomb(unpacked_mb: int) -> bytes:
    """A real one: a register sheet of `unpacked_mb` MB of rows that deflates to a few hundred
    KB (also used by tests/marketplace/coverage/test_register_limits.py)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    sheet.append(GOOD)
    valid_bytes = io.BytesIO()
    workbook.save(valid_bytes)
    valid = zipfile.ZipFile(valid_bytes)
    out = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000  # ~1 MB
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for member in valid.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(member, valid.read(member))
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            part.write(b"<sheetData>")
            for _ in range(unpacked_mb):
                part.write(row)
            part.write(b"</sheetData></worksheet>")
    return out.getvalue()


def run() -> None:
    from marketplace.coverage.importers import import_register

    header = ",".join(HEADERS)
    good = ",".join(GOOD)
    cases = [
        ("CSV header of 50,000 columns", _csv(header + ",c" * 50_000, good), "so.csv"),
        ("CSV line of 200,000 characters", _csv(header, good + " thái" * 40_000), "so.csv"),
        ("CSV quote that never ends", _csv(header, '1,"Mắm' + "\nthái" * 40_000), "so.csv"),
        ("XLSX zip bomb (150 MB unpacked)", xlsx_zip_bomb(150), "so.xlsx"),
    ]
    as_of = datetime.date(2026, 11, 27)
    for label, data, name in cases:
        started = time.perf_counter()
        report = import_register(data, name, as_of=as_of)
        elapsed = time.perf_counter() - started
        assert not report.written, label
        verdict = "ok" if elapsed < TARGET_S else f"OVER the {TARGET_S:.0f} s target"
        reason = report.summary().splitlines()[-1][:60]
        print(f"refuse {label:<34} {elapsed * 1000:6.0f} ms  {verdict}  ({reason})")
