"""Importing the provincial register: formats, validation, idempotence, all-or-nothing."""

import datetime
import io
import unicodedata

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from bench.coverage_import import HEADERS, synthetic_register_csv
from fixtures.loader import SAMPLE_DIR
from marketplace.coverage.importers import Outcome, import_register
from marketplace.coverage.models import RegisterEntry
from tests.marketplace.coverage.conftest import REPORT_DAY

pytestmark = pytest.mark.django_db

HEADER = ",".join(HEADERS)
GOOD = (
    "1,Mắm thái Châu Đốc,HTX Thủy sản An Phú,Xã An Phú,1.8,3,"
    "001/2025/OCOP-AG,935/QĐ-UBND,27/11/2025,26/11/2028"
)
SAMPLE = (SAMPLE_DIR / "registry.csv").read_bytes()


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def run(data: bytes, name: str = "so.csv", **kwargs):
    return import_register(data, name, as_of=REPORT_DAY, **kwargs)


def errors_of(report) -> str:
    return "\n".join(report.lines())


def test_the_sample_register_imports_every_row():
    report = run(SAMPLE, "registry.csv")
    assert report.written and not report.file_errors
    assert report.counts == {Outcome.CREATED: 261}
    assert RegisterEntry.objects.count() == 261
    assert RegisterEntry.objects.filter(certificate_number__isnull=True).count() == 11
    # 223 of them are valid on the report day (see the independent count in the figures test).
    assert report.valid_on_as_of == 223


def test_names_are_nfc_with_the_original_text_kept_and_a_folded_key():
    nfd = unicodedata.normalize("NFD", "  MẮM   THÁI Châu Đốc ")
    run(csv_bytes(GOOD.replace("Mắm thái Châu Đốc", nfd)))
    entry = RegisterEntry.objects.get()
    assert entry.product_name == "MẮM THÁI Châu Đốc"
    assert unicodedata.is_normalized("NFC", entry.product_name)
    assert entry.name_key == "mam thai chau doc"
    assert entry.ward_id == "30337"
    assert (entry.issued_on, entry.expires_on) == (
        datetime.date(2025, 11, 27),
        datetime.date(2028, 11, 26),
    )
    assert entry.producer.code == "AG0001"  # matched to the marketplace producer by name


def test_reimport_changes_nothing_and_an_update_never_duplicates():
    run(SAMPLE, "registry.csv")
    again = run(SAMPLE, "registry.csv")
    assert again.counts == {Outcome.UNCHANGED: 261}

    text = SAMPLE.decode("utf-8-sig")
    # Row 1 gets a fourth star; row 19 (no number) now carries its certificate number.
    text = text.replace(",1.8,3,001/2025/OCOP-AG,", ",1.8,4,001/2025/OCOP-AG,")
    text = text.replace("Xã Bình Thạnh Đông,1.8,3,,", "Xã Bình Thạnh Đông,1.8,3,019/2026/OCOP-AG,")
    updated = run(text.encode("utf-8"), "registry.csv")
    assert updated.counts == {Outcome.UPDATED: 2, Outcome.UNCHANGED: 259}
    assert RegisterEntry.objects.count() == 261
    assert RegisterEntry.objects.get(certificate_number="001/2025/OCOP-AG").stars == 4
    assert RegisterEntry.objects.get(certificate_number="019/2026/OCOP-AG").name_key == (
        "kho ca loc dong"
    )


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: ("\ufeff" + text).encode("utf-8"),
        lambda text: to_cp1258(text),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1258"],
)
def test_csv_encodings(encode):
    text = "\r\n".join([HEADER, GOOD]) + "\r\n"
    report = run(encode(text))
    assert report.written, errors_of(report)
    assert RegisterEntry.objects.get().product_name == "Mắm thái Châu Đốc"


def test_semicolon_separated_csv_from_a_vietnamese_excel():
    text = "\n".join([HEADER.replace(",", ";"), GOOD.replace(",", ";")])
    report = run(text.encode("utf-8"))
    assert report.written, errors_of(report)
    assert RegisterEntry.objects.get().certificate_number == "001/2025/OCOP-AG"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 has few precomposed letters: tone marks are separate combining bytes."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        # Keep the base's own mark (â, ă, ơ, ư, ê, ô) precomposed, the tone separate.
        for split in range(len(marks), -1, -1):
            head = unicodedata.normalize("NFC", base + "".join(marks[:split]))
            try:
                out += head.encode("cp1258") + "".join(marks[split:]).encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            raise AssertionError(f"cannot encode {char!r}")
    return bytes(out)


def test_xlsx_with_real_date_and_number_cells():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "STT",
            "Tên sản phẩm",
            "Chủ thể",
            "Xã/Phường",
            "Phân nhóm",
            "Số sao",
            "Số chứng nhận",
            "Quyết định",
            "Ngày cấp",
            "Hạn hiệu lực",
        ]
    )
    sheet.append(
        [
            1,
            "Mắm thái Châu Đốc",
            "HTX Thủy sản An Phú",
            "Xã An Phú",
            "1.8",
            4,
            "001/2025/OCOP-AG",
            "935/QĐ-UBND",
            datetime.datetime(2025, 11, 27),
            "26/11/2028",
        ]
    )
    sheet.append([None] * 10)  # blank rows Excel leaves behind are ignored
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(buffer.getvalue(), "so-ocop.xlsx")
    assert report.written, errors_of(report)
    entry = RegisterEntry.objects.get()
    assert (entry.stars, entry.issued_on) == (4, datetime.date(2025, 11, 27))


def test_an_old_ward_name_is_converted_and_an_ambiguous_one_rejected():
    old = GOOD.replace("Xã An Phú", "Thị trấn Núi Sập")
    report = run(csv_bytes(old))
    assert report.written, errors_of(report)
    assert RegisterEntry.objects.get().ward.name == "Xã Thoại Sơn"
    assert "tên xã/phường cũ" in report.rows[0].notes[0]

    # Xã Phú Hội (old An Phú district) was split between Xã An Phú and Xã Nhơn Hội.
    split = GOOD.replace("Xã An Phú", "Xã Phú Hội").replace("001/2025", "991/2025")
    report = run(csv_bytes(split))
    assert not report.written
    assert "nhiều xã/phường mới" in errors_of(report)


@pytest.mark.parametrize(
    "change, message",
    [
        (("1.8,3,", "1.8,6,"), "số sao '6' phải là 3, 4 hoặc 5"),
        (("27/11/2025", "31/02/2025"), "'31/02/2025' không phải ngày có thật"),
        (("27/11/2025", "2025-11-27"), "không phải ngày dd/mm/yyyy"),
        (("26/11/2028", "26/11/2024"), "hạn hiệu lực trước ngày cấp"),
        (("Xã An Phú", "Phường Ba Đình"), "không phải xã/phường của tỉnh"),
        ((",1.8,", ",9.9,"), "bộ sản phẩm '9.9' không có"),
        (("HTX Thủy sản An Phú", ""), "Chủ thể (cột chu_the): không được để trống"),
    ],
)
def test_an_invalid_row_stops_the_whole_file(change, message):
    bad = GOOD.replace(*change).replace("001/2025", "002/2025")
    report = run(csv_bytes(GOOD, bad))
    assert not report.written
    assert RegisterEntry.objects.count() == 0
    assert report.rows[0].outcome == Outcome.INVALID or report.rows[0].errors == []
    assert report.rows[1].outcome == Outcome.INVALID
    assert message in str(report.rows[1]), str(report.rows[1])
    assert str(report.rows[1]).startswith("Dòng 3 ")


def test_rows_not_valid_on_the_as_of_day_are_imported_with_a_note():
    future = GOOD.replace("27/11/2025", "01/01/2027").replace("001/", "003/")
    expired = GOOD.replace("26/11/2028", "26/11/2026").replace("001/", "004/")
    report = run(csv_bytes(GOOD, future, expired))
    assert report.written and report.valid_on_as_of == 1
    assert report.rows[0].notes == []
    assert report.rows[1].notes == ["chưa có hiệu lực ngày 27/11/2026"]
    assert report.rows[2].notes == ["đã hết hiệu lực ngày 27/11/2026"]


def test_skip_invalid_imports_the_valid_rows():
    bad = GOOD.replace("1.8,3,", "1.8,6,").replace("001/2025", "002/2025")
    report = run(csv_bytes(GOOD, bad), skip_invalid=True)
    assert report.written
    assert [r.outcome for r in report.rows] == [Outcome.CREATED, Outcome.SKIPPED]
    assert RegisterEntry.objects.count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "tệp trống"),
        (b"\xef\xbb\xbf\r\n\r\n", "tệp trống"),
        (csv_bytes(), "chỉ có dòng tiêu đề"),
        (csv_bytes(GOOD, header=HEADER.replace(",so_sao", "")), "thiếu cột: so_sao"),
        (csv_bytes(GOOD + ",x", header=HEADER + ",ghi_chu"), "cột không biết: ghi_chu"),
    ],
)
def test_file_level_problems_write_nothing(data, message):
    report = run(data, skip_invalid=True)
    assert not report.written
    assert message in report.summary(), report.summary()
    assert RegisterEntry.objects.count() == 0


def test_duplicated_certificate_numbers():
    conflicting = GOOD.replace("1.8,3,", "1.8,4,")
    report = run(csv_bytes(GOOD, conflicting), skip_invalid=True)
    assert not report.written
    assert "001/2025/OCOP-AG lặp ở dòng 2 và 3 với dữ liệu khác nhau" in report.summary()
    assert RegisterEntry.objects.count() == 0

    identical = run(csv_bytes(GOOD, GOOD.replace("1,", "2,", 1)))
    assert identical.written
    assert [r.outcome for r in identical.rows] == [Outcome.CREATED, Outcome.DUPLICATE]
    assert RegisterEntry.objects.count() == 1


def test_an_unsupported_file_type():
    report = run(b"x", "so.pdf")
    assert not report.written and "chỉ nhận tệp .csv hoặc .xlsx" in report.summary()


def test_a_large_register_is_written_in_bulk(django_assert_max_num_queries):
    data = synthetic_register_csv(2_000)
    # Batches, not a query per row (SQLite caps a statement at 999 parameters: ~70 rows).
    with django_assert_max_num_queries(80):
        report = run(data, "lon.csv")
    assert report.written and RegisterEntry.objects.count() == 2_000
    with django_assert_max_num_queries(40):
        assert run(data, "lon.csv").counts == {Outcome.UNCHANGED: 2_000}


def test_the_command_prints_a_row_report(tmp_path, capsys):
    path = tmp_path / "registry.csv"
    path.write_bytes(SAMPLE)
    call_command("import_ocop_register", str(path), "--as-of", "2026-11-27")
    out = capsys.readouterr().out
    assert "Dòng 2 (1 Mắm thái Châu Đốc): thêm mới" in out
    assert "Đã nhập 261 dòng" in out

    path.write_bytes(csv_bytes(GOOD.replace("1.8,3,", "1.8,6,").replace("001/", "777/")))
    with pytest.raises(CommandError):
        call_command("import_ocop_register", str(path), "--as-of", "2026-11-27")
    assert "phải là 3, 4 hoặc 5" in capsys.readouterr().out
    assert not RegisterEntry.objects.filter(certificate_number="777/2025/OCOP-AG").exists()


def test_the_report_reads_as_sentences_in_vietnamese_and_english():
    bad = GOOD.replace("1.8,3,", "1.8,6,").replace("001/2025", "002/2025")
    report = run(csv_bytes(GOOD, bad))
    assert not report.written
    assert report.summary() == (
        "Không nhập gì: 1 dòng lỗi. 1 dòng hợp lệ chưa được nhập: sửa dòng lỗi rồi nhập lại cả "
        "tệp, hoặc chọn “Nhập các dòng hợp lệ, bỏ qua dòng lỗi”."
    )
    good_row, bad_row = (str(r) for r in report.rows)
    assert good_row.startswith("Dòng 2 (") and good_row.endswith(": hợp lệ, chưa nhập")
    assert bad_row.endswith(": lỗi — Số sao (cột so_sao): số sao '6' phải là 3, 4 hoặc 5")
    with translation.override("en"):
        assert report.summary().startswith("Nothing imported: 1 row with errors. 1 valid row")
        assert ": valid, not imported" in str(report.rows[0])
        assert "Stars (column so_sao): " in str(report.rows[1])

    written = run(csv_bytes(GOOD))
    assert written.summary().startswith("Đã nhập 1 dòng (1 thêm mới); ")
    with translation.override("en"):
        assert written.summary().startswith("Imported 1 row (1 new); ")
