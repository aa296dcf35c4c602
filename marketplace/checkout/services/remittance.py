"""COD remittance: the carrier pays the platform the cash it collected on delivery.

Staff upload the carrier's reconciliation file (CSV: tracking number and amount per row) with
the bank transfer's reference; each sub-order it covers gets one COD_REMITTED entry (debit the
platform's bank, credit the cash the carrier held). All or nothing: an unknown, undelivered,
not-COD, already remitted or mis-priced row refuses the whole file, every problem named, and
nothing is posted. The same file recorded again (same bank reference, same rows) changes
nothing.

Here in checkout, not settlements, because it finds sub-orders by their tracking numbers.
"""

import csv
import datetime
import io
import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from marketplace.checkout.models import OrderStatus, SubOrder
from marketplace.errors import DomainError, ValidationFailed
from marketplace.payments.models import PaymentMethod
from marketplace.payments.statement import AmountError, parse_amount
from marketplace.settlements import ledger
from marketplace.settlements.errors import SettlementError
from marketplace.settlements.models import (
    Account,
    CodRemittance,
    CodRemittanceItem,
    EntryKind,
)

# Headings carriers' COD reconciliation exports use (GHN, GHTK, Viettel Post, VNPost), lower
# case; the platform's own template uses the first of each.
TRACKING_HEADINGS = ("tracking_number", "mã vận đơn", "ma_van_don", "mã đơn hàng", "số hiệu")
AMOUNT_HEADINGS = ("amount", "tiền thu hộ", "tien_thu_ho", "tiền cod", "cod", "cod_amount")
MAX_ROWS = 5000
MAX_FILE_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class RemittanceRow:
    line: int  # in the file, heading = 1
    tracking_number: str
    amount: int | None  # None: the cell could not be read (`error` says why)
    error: str = ""


def _heading(name: str) -> str:
    return unicodedata.normalize("NFC", (name or "").strip().lower())


def _column(fieldnames: list[str], accepted: tuple[str, ...]) -> str | None:
    by_heading = {_heading(name): name for name in fieldnames}
    return next((by_heading[h] for h in accepted if h in by_heading), None)


def read_rows(data: bytes) -> list[RemittanceRow]:
    """The rows of a carrier's CSV (UTF-8, comma or semicolon separated)."""
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(
            SettlementError.COD_INVALID_FILE,
            _("Tệp đối soát lớn quá %(mb)s MB: hãy chia nhỏ.") % {"mb": MAX_FILE_BYTES // 2**20},
            "file",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            SettlementError.COD_INVALID_FILE,
            _("Tệp đối soát phải là CSV mã hóa UTF-8."),
            "file",
        )
    sample = text.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(text), delimiter=";" if sample.count(";") else ",")
    tracking = _column(reader.fieldnames or [], TRACKING_HEADINGS)
    amount = _column(reader.fieldnames or [], AMOUNT_HEADINGS)
    if tracking is None or amount is None:
        raise DomainError(
            SettlementError.COD_INVALID_FILE,
            _("Tệp đối soát cần cột mã vận đơn (tracking_number) và số tiền (amount)."),
            "file",
        )
    rows = []
    for number, row in enumerate(reader, start=2):
        # As the portal stores them (checkout.services.orders): no spaces, upper case.
        code = "".join(unicodedata.normalize("NFC", row.get(tracking) or "").split()).upper()
        if not code and not (row.get(amount) or "").strip():
            continue  # a blank line at the end of a spreadsheet export
        try:
            rows.append(RemittanceRow(number, code, parse_amount(row.get(amount) or "")))
        except AmountError as exc:
            rows.append(RemittanceRow(number, code, None, str(exc)))
        if len(rows) > MAX_ROWS:
            raise DomainError(
                SettlementError.COD_INVALID_FILE,
                _("Tệp đối soát có quá %(max)s dòng: hãy chia nhỏ.") % {"max": MAX_ROWS},
                "file",
            )
    if not rows:
        raise DomainError(
            SettlementError.COD_INVALID_FILE, _("Tệp đối soát không có dòng nào."), "file"
        )
    return rows


def _problem(row: RemittanceRow, code, message: str) -> DomainError:
    return DomainError(
        code,
        _("Dòng %(line)s (%(tracking)s): %(problem)s")
        % {"line": row.line, "tracking": row.tracking_number or "—", "problem": message},
        f"rows[{row.line}]",
    )


@transaction.atomic
def record_remittance(
    *,
    carrier: str,
    remitted_on: datetime.date,
    bank_reference: str,
    rows: list[RemittanceRow],
    by=None,
) -> tuple[CodRemittance, bool]:
    """Post COD_REMITTED for every sub-order the carrier's file lists. Returns the remittance
    and whether it is new (False: this bank reference with these rows was recorded before)."""
    carrier, bank_reference = " ".join(carrier.split()), bank_reference.strip()
    if not carrier or not bank_reference:
        raise DomainError(
            SettlementError.COD_INVALID_FILE,
            _("Cần tên đơn vị vận chuyển và mã giao dịch ngân hàng."),
            "bank_reference" if carrier else "carrier",
        )
    codes = [row.tracking_number for row in rows]
    # Locked first: a second upload of the same file waits, then finds the first one.
    found: dict[str, list[SubOrder]] = {}
    for sub in (
        SubOrder.objects.select_for_update(of=("self",))
        .filter(tracking_number__in=codes, carrier__iexact=carrier)
        .select_related("order__payment")
        .order_by("pk")
    ):
        found.setdefault(sub.tracking_number, []).append(sub)
    earlier = CodRemittance.objects.filter(bank_reference=bank_reference).first()
    if earlier is not None:
        if sorted(earlier.items.values_list("tracking_number", flat=True)) == sorted(codes):
            return earlier, False
        raise DomainError(
            SettlementError.COD_ALREADY_REMITTED,
            _(
                "Mã giao dịch %(reference)s đã được ghi cho một đối soát khác "
                "(%(carrier)s, %(day)s)."
            )
            % {
                "reference": bank_reference,
                "carrier": earlier.carrier,
                "day": earlier.remitted_on.strftime("%d/%m/%Y"),
            },
            "bank_reference",
        )
    remitted = set(
        CodRemittanceItem.objects.filter(
            sub_order__in=[s for subs in found.values() for s in subs]
        ).values_list("sub_order_id", flat=True)
    )
    problems, matched, seen = [], [], set()
    for row in rows:
        subs = found.get(row.tracking_number, [])
        if row.error:
            problems.append(_problem(row, SettlementError.COD_INVALID_FILE, row.error))
        elif row.tracking_number in seen:
            problems.append(
                _problem(row, SettlementError.COD_INVALID_FILE, _("mã vận đơn lặp lại trong tệp"))
            )
        elif len(subs) != 1:
            problems.append(
                _problem(
                    row,
                    SettlementError.COD_UNKNOWN_TRACKING,
                    _("không có đơn nào của %(carrier)s mang mã vận đơn này")
                    % {"carrier": carrier},
                )
            )
        elif subs[0].pk in remitted:
            problems.append(
                _problem(
                    row, SettlementError.COD_ALREADY_REMITTED, _("đơn này đã đối soát trước đó")
                )
            )
        elif subs[0].order.payment.method != PaymentMethod.COD:
            problems.append(
                _problem(row, SettlementError.COD_UNKNOWN_TRACKING, _("đơn này không thu hộ (COD)"))
            )
        elif subs[0].status != OrderStatus.DELIVERED:
            problems.append(
                _problem(row, SettlementError.COD_UNKNOWN_TRACKING, _("đơn này chưa giao xong"))
            )
        elif row.amount != subs[0].total:
            problems.append(
                _problem(
                    row,
                    SettlementError.COD_AMOUNT_MISMATCH,
                    _("số tiền %(amount)s khác số đã thu hộ %(collected)s")
                    % {"amount": row.amount, "collected": subs[0].total},
                )
            )
        else:
            matched.append((row, subs[0]))
        seen.add(row.tracking_number)
    if problems:
        raise ValidationFailed(problems)
    remittance = CodRemittance.objects.create(
        carrier=carrier,
        remitted_on=remitted_on,
        bank_reference=bank_reference,
        total=sum(row.amount for row, _sub in matched),
        recorded_by=by,
    )
    CodRemittanceItem.objects.bulk_create(
        CodRemittanceItem(
            remittance=remittance,
            sub_order=sub,
            tracking_number=row.tracking_number,
            amount=row.amount,
        )
        for row, sub in matched
    )
    for row, sub in matched:
        ledger.transfer(
            EntryKind.COD_REMITTED,
            f"cod-remitted:{sub.pk}",
            debit=Account.PLATFORM_BANK,
            credit=Account.CARRIER_COD,
            amount=row.amount,
            order_id=sub.order_id,
            producer_id=sub.producer_id,
        )
    return remittance, True
