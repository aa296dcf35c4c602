"""Handing invoices to the tax authority or an e-invoice provider (T-VAN).

Sending needs a contract with a provider and a network we do not have, so it sits behind one
small interface. `FileExportSender`, the default, writes a zip of the signed XML files with a
CSV list, for the seller (or staff) to upload by hand in the provider's or the tax authority's
portal. A real provider is a class with the same `send`, named in `INVOICE_SENDER`.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from marketplace.invoices.models import Invoice
from marketplace.spreadsheet import safe_cell


@dataclass(frozen=True)
class SendResult:
    sent: int
    location: str  # where the invoices went: a file path, a provider's batch id


class InvoiceSender:
    def send(self, invoices: list[Invoice]) -> SendResult:
        raise NotImplementedError


def file_name(invoice: Invoice) -> str:
    return f"{invoice.producer.code}_{invoice.template}{invoice.symbol}_{invoice.number:08d}.xml"


def export_zip(invoices: list[Invoice]) -> bytes:
    """One signed XML per invoice and `danh-sach.csv` (UTF-8 with BOM, for Excel)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        listing = io.StringIO()
        listing.write("\ufeff")
        writer = csv.writer(listing)
        writer.writerow(
            ["tep", "ma_so_thue", "mau_so", "ky_hieu", "so", "ngay", "tong_tien", "trang_thai"]
        )
        for invoice in invoices:
            name = file_name(invoice)
            archive.writestr(name, bytes(invoice.signed_xml))
            writer.writerow(
                safe_cell(cell)
                for cell in [
                    name,
                    invoice.producer.tax_code,
                    invoice.template,
                    invoice.symbol,
                    invoice.number,
                    invoice.issued_on.isoformat(),
                    invoice.total,
                    invoice.status,
                ]
            )
        archive.writestr("danh-sach.csv", listing.getvalue().encode())
    return buffer.getvalue()


class FileExportSender(InvoiceSender):
    """Writes `<INVOICE_EXPORT_DIR>/hoa-don-<time>.zip` and marks the invoices exported."""

    def __init__(self, directory: str | Path | None = None):
        self.directory = Path(directory or settings.INVOICE_EXPORT_DIR)

    def send(self, invoices: list[Invoice]) -> SendResult:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"hoa-don-{timezone.localtime():%Y%m%d-%H%M%S}.zip"
        path.write_bytes(export_zip(invoices))
        Invoice.objects.filter(pk__in=[i.pk for i in invoices]).update(exported_at=timezone.now())
        return SendResult(len(invoices), str(path))


def sender() -> InvoiceSender:
    return import_string(settings.INVOICE_SENDER)()
