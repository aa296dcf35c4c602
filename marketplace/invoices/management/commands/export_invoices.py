"""Hand invoices to INVOICE_SENDER (default: a zip for manual upload in INVOICE_EXPORT_DIR)."""

from django.core.management.base import BaseCommand

from marketplace.invoices import senders
from marketplace.invoices.models import Invoice


class Command(BaseCommand):
    help = "Export the invoices not exported yet (or all with --all) through INVOICE_SENDER."

    def add_arguments(self, parser):
        parser.add_argument("--producer", help="only this producer's code")
        parser.add_argument("--all", action="store_true", help="also those already exported")

    def handle(self, *args, producer=None, all=False, **options):
        invoices = Invoice.objects.select_related("producer").order_by("producer_id", "number")
        if producer:
            invoices = invoices.filter(producer__code=producer)
        if not all:
            invoices = invoices.filter(exported_at__isnull=True)
        invoices = list(invoices)
        if not invoices:
            self.stdout.write("Không có hóa đơn nào cần xuất.")
            return
        result = senders.sender().send(invoices)
        self.stdout.write(f"Đã xuất {result.sent} hóa đơn: {result.location}")
