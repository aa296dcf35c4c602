"""python manage.py reconcile_vietqr FILE — match a bank statement CSV to VietQR orders.

The CSV needs the columns `reference` (transfer description) and `amount` (đồng, as banks
write it: 237000, 237.000, 237,000 or 237000.00); a `transaction_id` column is used as the
idempotency key when present (else the line's content). A line whose amount cannot be read,
or whose reference names two orders, is reported and applied to nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from marketplace.payments.services import reconcile_vietqr
from marketplace.payments.statement import MissingColumns, read_statement


class Command(BaseCommand):
    help = "Đối soát sao kê ngân hàng (CSV) với các đơn thanh toán VietQR."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            lines = read_statement(file)
        except MissingColumns as exc:
            raise CommandError(str(exc)) from exc
        results = reconcile_vietqr(lines)
        counts: dict[str, int] = {}
        for result in results:
            counts[result.outcome] = counts.get(result.outcome, 0) + 1
            self.stdout.write(f"dòng {result.line}: {result.outcome} — {result.message}")
        summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        self.stdout.write(f"{len(results)} dòng: {summary}")
