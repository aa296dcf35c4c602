"""python manage.py reconcile_vietqr FILE — match a bank statement CSV to VietQR orders.

The CSV needs the columns `reference` (transfer description) and `amount` (đồng); a
`transaction_id` column is used as the idempotency key when present (else the line's content).
"""

import csv
import hashlib

from django.core.management.base import BaseCommand, CommandError

from marketplace.payments.services import StatementLine, reconcile_vietqr


def read_statement(path: str) -> list[StatementLine]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"reference", "amount"} - set(reader.fieldnames or [])
        if missing:
            raise CommandError(f"{path}: thiếu cột {', '.join(sorted(missing))}")
        lines = []
        for number, row in enumerate(reader, start=2):
            raw_amount = (row["amount"] or "").replace(".", "").replace(",", "").strip()
            if not raw_amount.isdigit():
                raise CommandError(f"{path} dòng {number}: số tiền không hợp lệ “{row['amount']}”")
            reference = (row["reference"] or "").strip()
            transaction_id = (row.get("transaction_id") or "").strip() or hashlib.sha256(
                f"{reference}|{raw_amount}|{row.get('date', '')}".encode()
            ).hexdigest()[:32]
            lines.append(StatementLine(number, reference, int(raw_amount), transaction_id))
        return lines


class Command(BaseCommand):
    help = "Đối soát sao kê ngân hàng (CSV) với các đơn thanh toán VietQR."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        results = reconcile_vietqr(read_statement(file))
        counts: dict[str, int] = {}
        for result in results:
            counts[result.outcome] = counts.get(result.outcome, 0) + 1
            self.stdout.write(f"dòng {result.line}: {result.outcome} — {result.message}")
        summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        self.stdout.write(f"{len(results)} dòng: {summary}")
