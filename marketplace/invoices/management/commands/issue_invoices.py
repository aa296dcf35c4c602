"""Issue the invoices that deliveries could not (a certificate uploaded late, say)."""

from django.core.management.base import BaseCommand

from marketplace.errors import DomainError
from marketplace.invoices import issuing, selectors


class Command(BaseCommand):
    help = "Issue an e-invoice for every delivered sub-order of an invoicing producer lacking one."

    def handle(self, *args, **options):
        pending = selectors.awaiting_invoice().order_by("delivered_at", "pk")
        pending = list(pending.values_list("pk", flat=True))
        issued = failed = 0
        for pk in pending:
            try:
                issuing.issue(pk)
                issued += 1
            except DomainError as exc:
                failed += 1
                self.stderr.write(f"sub-order {pk}: {exc.message}")
        self.stdout.write(f"Đã lập {issued} hóa đơn; {failed} chưa lập được.")
