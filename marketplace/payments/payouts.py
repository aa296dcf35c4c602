"""Paying producers what their issued statements say: the payout account, batches, the bank's
bulk-transfer file, and the PAYOUT entries once the bank has sent the money.

A batch holds issued statements no batch holds yet, each with the producer's account as it was
then. Marked paid with the bank's reference, it posts one PAYOUT per producer (producer_payable →
platform_bank, key `payout:<batch>:<producer>`), and the statements read as paid from then on.
The file's layout: docs/payouts.md.
"""

import csv
import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace import access
from marketplace.access import Permission
from marketplace.errors import DomainError, ValidationFailed
from marketplace.payments.errors import PaymentError
from marketplace.payments.refunds import clean_bank_account, clean_bank_reference
from marketplace.settlements import ledger
from marketplace.settlements.errors import SettlementError
from marketplace.settlements.models import (
    Account,
    EntryKind,
    PayoutAccount,
    PayoutBatch,
    PayoutItem,
    Statement,
)
from marketplace.spreadsheet import safe_cell
from marketplace.text import fold

CSV_COLUMNS = ["account_number", "bank_bin", "holder_name", "amount", "content"]


@transaction.atomic
def set_payout_account(user, producer, bank_bin: str, account_number: str, holder_name: str):
    """The owner's (or staff's) account for the producer's payouts; replaces an earlier one."""
    access.require(user, Permission.OWN_PRODUCER, producer)
    bank_bin, number, holder = clean_bank_account(bank_bin, account_number, holder_name)
    account, _created = PayoutAccount.objects.update_or_create(
        producer=producer,
        defaults={
            "bank_bin": bank_bin,
            "account_number": number,
            "holder_name": holder,
            "updated_by": user,
        },
    )
    return account


def _error(code, message, field="statements") -> DomainError:
    return DomainError(code, message, field)


@transaction.atomic
def create_batch(user, statement_ids: list[int]) -> PayoutBatch:
    """A batch of these statements; every one refused is named, and then nothing is made."""
    access.require(user, Permission.PAYOUTS)
    wanted = sorted(set(statement_ids))
    if not wanted:
        raise _error(SettlementError.EMPTY_BATCH, gettext("Hãy chọn ít nhất một bảng đối soát."))
    found = {
        s.pk: s
        for s in Statement.objects.select_for_update(of=("self",))
        .select_related("producer__payout_account", "payout")
        .filter(pk__in=wanted)
    }
    errors = []
    for pk in wanted:
        statement = found.get(pk)
        if statement is None:
            errors.append(
                _error(
                    SettlementError.STATEMENT_NOT_ISSUED,
                    gettext("Bảng đối soát #%(pk)s chưa được phát hành.") % {"pk": pk},
                )
            )
        elif hasattr(statement, "payout"):
            errors.append(
                _error(
                    SettlementError.STATEMENT_IN_BATCH,
                    gettext("Bảng đối soát %(number)s đã nằm trong đợt chi trả %(batch)s.")
                    % {"number": statement.number, "batch": f"CT-{statement.payout.batch_id}"},
                )
            )
        elif statement.net <= 0:
            errors.append(
                _error(
                    SettlementError.NOTHING_TO_PAY,
                    gettext("Bảng đối soát %(number)s không có tiền phải trả.")
                    % {"number": statement.number},
                )
            )
        elif not hasattr(statement.producer, "payout_account"):
            errors.append(
                _error(
                    SettlementError.NO_PAYOUT_ACCOUNT,
                    gettext("%(producer)s chưa khai báo tài khoản nhận tiền.")
                    % {"producer": statement.producer.name},
                )
            )
    if errors:
        raise ValidationFailed(errors)
    batch = PayoutBatch.objects.create(created_by=user)
    PayoutItem.objects.bulk_create(
        PayoutItem(
            batch=batch,
            statement=statement,
            producer_id=statement.producer_id,
            amount=statement.net,
            bank_bin=statement.producer.payout_account.bank_bin,
            account_number=statement.producer.payout_account.account_number,
            holder_name=statement.producer.payout_account.holder_name,
        )
        for statement in (found[pk] for pk in wanted)
    )
    return batch


def transfers(batch: PayoutBatch) -> list[dict]:
    """One transfer per producer and account: the statements' nets summed."""
    rows: dict[tuple, dict] = {}
    for item in batch.items.select_related("statement").order_by("producer_id", "statement_id"):
        key = (item.producer_id, item.bank_bin, item.account_number, item.holder_name)
        row = rows.setdefault(
            key,
            {
                "producer_id": item.producer_id,
                "account_number": item.account_number,
                "bank_bin": item.bank_bin,
                "holder_name": item.holder_name,
                "amount": 0,
                "numbers": [],
            },
        )
        row["amount"] += item.amount
        row["numbers"].append(item.statement.number)
    return list(rows.values())


def transfer_content(batch: PayoutBatch, numbers: list[str]) -> str:
    """What the producer's bank statement shows: ASCII (banks drop diacritics), ≤ 140 chars."""
    return fold(f"OCOP AN GIANG CT{batch.pk} {' '.join(numbers)}").upper()[:140]


def to_csv(batch: PayoutBatch) -> bytes:
    """The bank bulk-transfer file (docs/payouts.md): UTF-8, comma-separated, a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in transfers(batch):
        writer.writerow(
            [
                safe_cell(row["account_number"]),
                safe_cell(row["bank_bin"]),
                safe_cell(row["holder_name"]),
                row["amount"],
                safe_cell(transfer_content(batch, row["numbers"])),
            ]
        )
    return out.getvalue().encode("utf-8")


@transaction.atomic
def mark_paid(user, batch_id: int, bank_reference: str) -> PayoutBatch:
    """The bank sent the batch: record its reference and post each producer's PAYOUT."""
    access.require(user, Permission.PAYOUTS)
    batch = PayoutBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        raise DomainError(PaymentError.NOT_FOUND, gettext("Không tìm thấy đợt chi trả."), "batch")
    if batch.paid_at is not None:
        raise DomainError(
            SettlementError.BATCH_ALREADY_PAID,
            gettext("Đợt chi trả %(batch)s đã được ghi là đã chuyển.") % {"batch": batch},
            "batch",
        )
    reference = clean_bank_reference(bank_reference)
    if PayoutBatch.objects.filter(bank_reference=reference).exists():
        raise DomainError(
            PaymentError.INVALID_BANK_REFERENCE,
            gettext("Mã giao dịch này đã được ghi cho một đợt chi trả khác."),
            "bank_reference",
        )
    for row in transfers(batch):
        ledger.transfer(
            EntryKind.PAYOUT,
            f"payout:{batch.pk}:{row['producer_id']}",
            debit=Account.PRODUCER_PAYABLE,
            credit=Account.PLATFORM_BANK,
            amount=row["amount"],
            order_id=None,
            producer_id=row["producer_id"],
        )
    batch.paid_at = timezone.now()
    batch.paid_by = user
    batch.bank_reference = reference
    batch.save(update_fields=["paid_at", "paid_by", "bank_reference"])
    return batch
