"""Importing the provincial OCOP register and the sightings on other platforms.

Every row is validated before anything is written; the whole file is written in one
transaction with bulk operations (50,000 rows in seconds). Re-importing updates rows in place:
the key is the certificate number, else the folded product name + producer + ward.
"""

import datetime
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from marketplace.coverage import linking
from marketplace.coverage.errors import CoverageError
from marketplace.coverage.models import ExternalListing, RegisterEntry
from marketplace.coverage.register_io import cell_text, read_table
from marketplace.coverage.wards import WardResolver
from marketplace.errors import DomainError
from marketplace.taxonomy.models import ProductSet
from marketplace.text import fold, nfc
from producers.models import Producer

REGISTER_REQUIRED = {
    "ten_san_pham",
    "chu_the",
    "xa_phuong",
    "phan_nhom",
    "so_sao",
    "so_chung_nhan",
    "ngay_cap",
    "han_hieu_luc",
}
REGISTER_OPTIONAL = {"stt", "quyet_dinh"}
PROGRESS_EVERY = 500  # rows checked between two progress reports
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")

# What a re-import may change on an entry.
ENTRY_FIELDS = [
    "certificate_number",
    "product_name",
    "producer_name",
    "ward_input",
    "ward_id",
    "product_set_id",
    "stars",
    "decision",
    "issued_on",
    "expires_on",
    "name_key",
    "producer_key",
    "natural_key",
    "producer_id",
]


class Outcome:
    CREATED = "thêm mới"
    UPDATED = "cập nhật"
    UNCHANGED = "không đổi"
    DUPLICATE = "trùng dòng trên, bỏ qua"
    INVALID = "lỗi"
    SKIPPED = "lỗi, bỏ qua"
    VALID = "hợp lệ, chưa nhập"  # a good row of a file that was not imported


# What the reports say, in the reader's language (the Outcome values are keys).
OUTCOME_LABELS = {
    Outcome.CREATED: gettext_lazy("thêm mới"),
    Outcome.UPDATED: gettext_lazy("cập nhật"),
    Outcome.UNCHANGED: gettext_lazy("không đổi"),
    Outcome.DUPLICATE: gettext_lazy("trùng dòng trên, bỏ qua"),
    Outcome.INVALID: gettext_lazy("lỗi"),
    Outcome.SKIPPED: gettext_lazy("lỗi, bỏ qua"),
    Outcome.VALID: gettext_lazy("hợp lệ, chưa nhập"),
}
# The columns of both files as the person who filled them in knows them.
COLUMN_LABELS = {
    "stt": gettext_lazy("STT"),
    "ten_san_pham": gettext_lazy("Tên sản phẩm"),
    "chu_the": gettext_lazy("Chủ thể"),
    "xa_phuong": gettext_lazy("Xã/phường"),
    "phan_nhom": gettext_lazy("Bộ sản phẩm"),
    "so_sao": gettext_lazy("Số sao"),
    "so_chung_nhan": gettext_lazy("Số chứng nhận"),
    "quyet_dinh": gettext_lazy("Quyết định"),
    "ngay_cap": gettext_lazy("Ngày cấp"),
    "han_hieu_luc": gettext_lazy("Hạn hiệu lực"),
    "certificate_no": gettext_lazy("Số chứng nhận"),
    "product_name": gettext_lazy("Tên sản phẩm"),
    "producer_name": gettext_lazy("Chủ thể"),
    "platform": gettext_lazy("Sàn"),
    "url": gettext_lazy("Đường dẫn"),
    "seen_on": gettext_lazy("Ngày ghi nhận"),
}


def cell_problem(text: str) -> str:
    """'so_sao: số sao …' → 'Số sao (cột so_sao): số sao …': the column's name and its key."""
    column, sep, message = text.partition(": ")
    if not sep or column not in COLUMN_LABELS:
        return text
    return gettext("%(label)s (cột %(column)s): %(message)s") % {
        "label": COLUMN_LABELS[column],
        "column": column,
        "message": message,
    }


def outcome_counts(rows: list["RowReport"]) -> str:
    """'3 thêm mới, 1 cập nhật': the outcomes that happened, in a fixed order."""
    counts = Counter(r.outcome for r in rows)
    return ", ".join(
        f"{counts[outcome]} {label}" for outcome, label in OUTCOME_LABELS.items() if counts[outcome]
    )


@dataclass
class RowReport:
    line: int
    label: str  # stt and product name, for the reader
    outcome: str = ""
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = gettext("Dòng %(line)s (%(label)s): %(outcome)s") % {
            "line": self.line,
            "label": self.label,
            "outcome": OUTCOME_LABELS.get(self.outcome, self.outcome),
        }
        if self.errors:
            text += " — " + "; ".join(cell_problem(e) for e in self.errors)
        if self.notes:
            text += " [" + "; ".join(self.notes) + "]"
        return text


def nothing_imported(rows: list[RowReport]) -> str:
    """'Không nhập gì: 1 dòng lỗi.' and what to do about it."""
    invalid = sum(1 for r in rows if r.errors)
    text = ngettext("Không nhập gì: %(n)s dòng lỗi.", "Không nhập gì: %(n)s dòng lỗi.", invalid) % {
        "n": invalid
    }
    valid = len(rows) - invalid
    if valid:
        text += " " + ngettext(
            "%(n)s dòng hợp lệ chưa được nhập: sửa dòng lỗi rồi nhập lại cả tệp, "
            "hoặc chọn “Nhập các dòng hợp lệ, bỏ qua dòng lỗi”.",
            "%(n)s dòng hợp lệ chưa được nhập: sửa dòng lỗi rồi nhập lại cả tệp, "
            "hoặc chọn “Nhập các dòng hợp lệ, bỏ qua dòng lỗi”.",
            valid,
        ) % {"n": valid}
    return text


def file_refused(problems: list[str]) -> str:
    return gettext("Không nhập gì: %(problems)s") % {"problems": "; ".join(problems)}


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    written: bool = False
    valid_on_as_of: int = 0
    as_of: datetime.date | None = None

    @property
    def invalid_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def counts(self) -> Counter:
        return Counter(r.outcome for r in self.rows)

    def summary(self) -> str:
        if self.file_errors:
            return file_refused(self.file_errors)
        if not self.written:
            return nothing_imported(self.rows)
        return ngettext(
            "Đã nhập %(n)s dòng (%(counts)s); %(valid)s chứng nhận còn hiệu lực ngày %(day)s.",
            "Đã nhập %(n)s dòng (%(counts)s); %(valid)s chứng nhận còn hiệu lực ngày %(day)s.",
            len(self.rows),
        ) % {
            "n": len(self.rows),
            "counts": outcome_counts(self.rows),
            "valid": self.valid_on_as_of,
            "day": f"{self.as_of:%d/%m/%Y}",
        }

    def lines(self) -> list[str]:
        return [str(r) for r in self.rows] + [self.summary()]


@dataclass
class EntryData:
    certificate_number: str | None
    product_name: str
    producer_name: str
    ward_input: str
    ward_id: str
    product_set_id: str
    stars: int
    decision: str
    issued_on: datetime.date
    expires_on: datetime.date
    name_key: str
    producer_key: str
    natural_key: str
    producer_id: int | None


def parse_dmy(text: str, column: str) -> datetime.date:
    match = _DMY.match(text.strip())
    if not match:
        raise DomainError(
            CoverageError.INVALID_DATE,
            gettext("'%(text)s' không phải ngày dd/mm/yyyy") % {"text": text},
            column,
        )
    day, month, year = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise DomainError(
            CoverageError.INVALID_DATE,
            gettext("'%(text)s' không phải ngày có thật") % {"text": text},
            column,
        )


def _date_cell(value: object, column: str) -> datetime.date:
    if isinstance(value, datetime.datetime):  # a real date cell in Excel
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not cell_text(value).strip():
        raise DomainError(CoverageError.REQUIRED, gettext("không được để trống"), column)
    return parse_dmy(cell_text(value), column)


class _RowParser:
    """Turns one raw row into EntryData, collecting every field error of the row."""

    def __init__(self, as_of: datetime.date):
        self.as_of = as_of
        self.wards = WardResolver()
        self.sets = set(ProductSet.objects.values_list("code", flat=True))
        self.producers = _producer_index()

    def parse(self, cells: dict, report: RowReport) -> EntryData | None:
        errors: list[DomainError] = []

        def text(column: str, required: bool = True) -> str:
            value = nfc(cell_text(cells.get(column)))
            if required and not value:
                errors.append(
                    DomainError(CoverageError.REQUIRED, gettext("không được để trống"), column)
                )
            return value

        product_name = text("ten_san_pham")
        producer_name = text("chu_the")
        ward_input = text("xa_phuong")
        set_code = text("phan_nhom")
        stars_text = text("so_sao")
        certificate = text("so_chung_nhan", required=False).replace(" ", "") or None
        decision = text("quyet_dinh", required=False)

        ward_id = None
        if ward_input:
            try:
                resolved = self.wards.resolve(ward_input)
                ward_id = resolved.code
                if resolved.converted_from:
                    report.notes.append(f"tên xã/phường cũ '{ward_input}' → mã {ward_id}")
            except DomainError as exc:
                errors.append(exc)
        if set_code and set_code not in self.sets:
            errors.append(
                DomainError(
                    CoverageError.UNKNOWN_PRODUCT_SET,
                    gettext("bộ sản phẩm '%(set_code)s' không có") % {"set_code": set_code},
                    "phan_nhom",
                )
            )
        stars = None
        if stars_text:
            if stars_text in {"3", "4", "5"}:
                stars = int(stars_text)
            else:
                errors.append(
                    DomainError(
                        CoverageError.INVALID_STARS,
                        gettext("số sao '%(stars_text)s' phải là 3, 4 hoặc 5")
                        % {"stars_text": stars_text},
                        "so_sao",
                    )
                )
        dates = {}
        for column in ("ngay_cap", "han_hieu_luc"):
            try:
                dates[column] = _date_cell(cells.get(column), column)
            except DomainError as exc:
                errors.append(exc)
        issued_on, expires_on = dates.get("ngay_cap"), dates.get("han_hieu_luc")
        if issued_on and expires_on and expires_on < issued_on:
            errors.append(
                DomainError(
                    CoverageError.INVALID_DATES,
                    gettext("hạn hiệu lực trước ngày cấp"),
                    "han_hieu_luc",
                )
            )
        # Not an error (the register keeps history and may be typed ahead): a note for the
        # reader, since only certificates valid on the day count.
        if issued_on and expires_on and not issued_on <= self.as_of <= expires_on:
            state = "chưa có hiệu lực" if issued_on > self.as_of else "đã hết hiệu lực"
            report.notes.append(f"{state} ngày {self.as_of:%d/%m/%Y}")

        if errors:
            report.errors.extend(
                f"{e.field}: {e.message}" if e.field else e.message for e in errors
            )
            return None
        name_key, producer_key = fold(product_name), fold(producer_name)
        return EntryData(
            certificate_number=certificate,
            product_name=product_name,
            producer_name=producer_name,
            ward_input=ward_input,
            ward_id=ward_id,
            product_set_id=set_code,
            stars=stars,
            decision=decision,
            issued_on=issued_on,
            expires_on=expires_on,
            name_key=name_key,
            producer_key=producer_key,
            natural_key=f"{name_key}|{producer_key}|{ward_id}",
            producer_id=self.producers.get((producer_key, ward_id))
            or self.producers.get((producer_key, None)),
        )


def _producer_index() -> dict[tuple[str, str | None], int]:
    """(folded name, ward) → producer; (folded name, None) only when the name is unambiguous."""
    index: dict[tuple[str, str | None], int] = {}
    seen: Counter = Counter()
    for pk, name, ward_id in Producer.objects.values_list("id", "name", "ward_id"):
        key = fold(name)
        index[(key, ward_id)] = pk
        seen[key] += 1
        index[(key, None)] = pk
    for key, n in seen.items():
        if n > 1:
            del index[(key, None)]
    return index


def _comparable(data: EntryData) -> tuple:
    return tuple(getattr(data, name) for name in ENTRY_FIELDS if name != "producer_id")


def _check_duplicates(parsed: list[tuple[RowReport, EntryData]]) -> list[str]:
    """Same key twice: identical rows are skipped, conflicting ones stop the whole file."""
    conflicts = []
    first_of: dict[tuple, tuple[RowReport, EntryData]] = {}
    for report, data in parsed:
        key = (
            ("cert", data.certificate_number)
            if data.certificate_number
            else ("name", data.natural_key)
        )
        if key not in first_of:
            first_of[key] = (report, data)
            continue
        first_report, first_data = first_of[key]
        if _comparable(first_data) == _comparable(data):
            report.outcome = Outcome.DUPLICATE
            report.notes.append(f"giống dòng {first_report.line}")
        else:
            what = (
                f"số chứng nhận {data.certificate_number}"
                if data.certificate_number
                else f"sản phẩm '{data.product_name}' của '{data.producer_name}'"
            )
            conflicts.append(
                f"{what} lặp ở dòng {first_report.line} và {report.line} với dữ liệu khác nhau"
            )
    return conflicts


def import_register(
    data: bytes,
    filename: str,
    *,
    as_of: datetime.date | None = None,
    skip_invalid: bool = False,
    progress: Callable[[int, int], None] | None = None,
    on_written: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Validate every row, then write all (or, with skip_invalid, the valid ones) at once.

    `progress(rows_checked, rows_total)` is called as the rows are checked (every
    PROGRESS_EVERY rows, outside any transaction, so another connection sees it);
    `on_written(report)` runs inside the writing transaction, so what it records commits (or
    not) with the entries themselves (marketplace/coverage/register_jobs.py).
    """
    as_of = as_of or timezone.localdate()
    report = ImportReport(as_of=as_of)
    try:
        raw_rows = read_table(data, filename, REGISTER_REQUIRED, REGISTER_OPTIONAL)
    except DomainError as exc:
        report.file_errors.append(exc.message)
        return report

    parser = _RowParser(as_of)
    parsed: list[tuple[RowReport, EntryData]] = []
    for number, raw in enumerate(raw_rows):
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number, len(raw_rows))
        label = nfc(f"{cell_text(raw.cells.get('stt'))} {cell_text(raw.cells.get('ten_san_pham'))}")
        row_report = RowReport(raw.line, label.strip() or "—")
        report.rows.append(row_report)
        entry = parser.parse(raw.cells, row_report)
        if entry is None:
            row_report.outcome = Outcome.SKIPPED if skip_invalid else Outcome.INVALID
        else:
            parsed.append((row_report, entry))

    report.file_errors.extend(_check_duplicates(parsed))
    if report.file_errors or (report.invalid_count and not skip_invalid):
        for row_report, _entry in parsed:
            row_report.outcome = row_report.outcome or Outcome.VALID
        return report

    if progress is not None:
        progress(len(raw_rows), len(raw_rows))
    with transaction.atomic():
        _write_entries([(r, d) for r, d in parsed if r.outcome != Outcome.DUPLICATE])
        linking.link_register_to_listings()
        linking.link_external_listings()
        report.written = True
        report.valid_on_as_of = RegisterEntry.objects.filter(
            issued_on__lte=as_of, expires_on__gte=as_of
        ).count()
        if on_written is not None:
            on_written(report)
    return report


def _write_entries(rows: list[tuple[RowReport, EntryData]]) -> None:
    existing = list(RegisterEntry.objects.all())
    by_cert = {e.certificate_number: e for e in existing if e.certificate_number}
    by_natural: dict[str, list[RegisterEntry]] = {}
    for e in existing:
        by_natural.setdefault(e.natural_key, []).append(e)
    claimed: set[int] = set()
    now = timezone.now()
    to_create, to_update = [], []

    for report, data in rows:
        entry = by_cert.get(data.certificate_number) if data.certificate_number else None
        if entry is None:
            entry = _by_natural_key(by_natural.get(data.natural_key, []), data, claimed)
        if entry is None:
            to_create.append(RegisterEntry(**vars(data)))
            report.outcome = Outcome.CREATED
            continue
        claimed.add(entry.pk)
        values = vars(data).copy()
        if values["certificate_number"] is None:  # a row that lost its number keeps the old one
            values["certificate_number"] = entry.certificate_number
        changed = [name for name in ENTRY_FIELDS if getattr(entry, name) != values[name]]
        if changed:
            for name in changed:
                setattr(entry, name, values[name])
            entry.updated_at = now
            to_update.append(entry)
            report.outcome = Outcome.UPDATED
        else:
            report.outcome = Outcome.UNCHANGED

    RegisterEntry.objects.bulk_update(to_update, ENTRY_FIELDS + ["updated_at"], batch_size=500)
    RegisterEntry.objects.bulk_create(to_create, batch_size=1000)


def _by_natural_key(
    candidates: list[RegisterEntry], data: EntryData, claimed: set[int]
) -> RegisterEntry | None:
    """An entry with the same product, producer and ward that no other row has taken.

    A numbered row may take an unnumbered entry (the number was added later); an unnumbered
    row may take a numbered one when exactly one fits (the number was left off this time).
    """
    free = [e for e in candidates if e.pk not in claimed]
    unnumbered = [e for e in free if not e.certificate_number]
    if unnumbered:
        return unnumbered[0]
    if data.certificate_number is None and len(free) == 1:
        return free[0]
    return None


# --- external listings -----------------------------------------------------------------

EXTERNAL_REQUIRED = {
    "certificate_no",
    "product_name",
    "producer_name",
    "platform",
    "url",
    "seen_on",
}


@dataclass
class ExternalImportReport:
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    written: bool = False
    unmatched: int = 0

    @property
    def invalid_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    def lines(self) -> list[str]:
        if self.file_errors:
            return [file_refused(self.file_errors)]
        for row in self.rows:
            row.outcome = row.outcome or Outcome.VALID
        lines = [str(r) for r in self.rows]
        if not self.written:
            return lines + [nothing_imported(self.rows)]
        return lines + [
            ngettext(
                "Đã nhập %(n)s gian hàng; %(unmatched)s chưa khớp dòng nào trong sổ.",
                "Đã nhập %(n)s gian hàng; %(unmatched)s chưa khớp dòng nào trong sổ.",
                len(self.rows),
            )
            % {"n": len(self.rows), "unmatched": self.unmatched}
        ]


def import_external_listings(data: bytes, filename: str) -> ExternalImportReport:
    """Upsert sightings by URL, then link each to its register entry."""
    report = ExternalImportReport()
    try:
        raw_rows = read_table(data, filename, EXTERNAL_REQUIRED, set())
    except DomainError as exc:
        report.file_errors.append(exc.message)
        return report

    parsed: dict[str, dict] = {}
    for raw in raw_rows:
        cells = {k: nfc(cell_text(v)) for k, v in raw.cells.items()}
        row = RowReport(raw.line, cells["product_name"] or "—")
        report.rows.append(row)
        for column in ("product_name", "producer_name", "platform", "url", "seen_on"):
            if not cells[column]:
                row.errors.append(column + ": " + gettext("không được để trống"))
        if cells["url"] and not cells["url"].startswith(("http://", "https://")):
            row.errors.append("url: " + gettext("phải bắt đầu bằng http:// hoặc https://"))
        seen_on = None
        if cells["seen_on"]:
            try:
                seen_on = datetime.date.fromisoformat(cells["seen_on"])
            except ValueError:
                try:
                    seen_on = parse_dmy(cells["seen_on"], "seen_on")
                except DomainError as exc:
                    row.errors.append(f"seen_on: {exc.message}")
        if cells["url"] in parsed:
            again = gettext("lặp với dòng %(line)s") % {"line": parsed[cells["url"]]["line"]}
            row.errors.append(f"url: {again}")
        if row.errors:
            row.outcome = Outcome.INVALID
            continue
        parsed[cells["url"]] = {
            "line": raw.line,
            "report": row,
            "values": {
                "platform": fold(cells["platform"]),
                "certificate_number": cells["certificate_no"].replace(" ", ""),
                "product_name": cells["product_name"],
                "producer_name": cells["producer_name"],
                "seen_on": seen_on,
            },
        }
    if any(r.errors for r in report.rows):
        return report

    with transaction.atomic():
        existing = {e.url: e for e in ExternalListing.objects.filter(url__in=parsed)}
        to_create, to_update = [], []
        fields = ["platform", "certificate_number", "product_name", "producer_name", "seen_on"]
        for url, item in parsed.items():
            listing = existing.get(url)
            if listing is None:
                to_create.append(ExternalListing(url=url, **item["values"]))
                item["report"].outcome = Outcome.CREATED
            elif any(getattr(listing, f) != item["values"][f] for f in fields):
                for name, value in item["values"].items():
                    setattr(listing, name, value)
                to_update.append(listing)
                item["report"].outcome = Outcome.UPDATED
            else:
                item["report"].outcome = Outcome.UNCHANGED
        ExternalListing.objects.bulk_create(to_create)
        ExternalListing.objects.bulk_update(to_update, fields)
        linking.link_external_listings()
    unmatched = set(
        ExternalListing.objects.filter(url__in=parsed, register_entry__isnull=True).values_list(
            "url", flat=True
        )
    )
    for url, item in parsed.items():
        if url in unmatched:
            item["report"].notes.append(gettext("chưa khớp dòng nào trong sổ"))
            report.unmatched += 1
    report.written = True
    return report
