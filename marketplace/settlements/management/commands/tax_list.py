"""python manage.py tax_list 2026-11 [--format xlsx|xml] [--output FILE] — the month's list of
tax withheld for sellers (marketplace.settlements.taxlist), as the staff page downloads it.

Refused (exit code 1, the sellers named) while a listed seller has neither tax code nor
citizen ID, or, for XML, while PLATFORM_TAX_CODE is not set.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace.errors import DomainError
from marketplace.settlements import taxlist

BUILDERS = {"xlsx": taxlist.to_xlsx, "xml": taxlist.to_xml}


class Command(BaseCommand):
    help = "Xuất bảng kê thuế GTGT, TNCN đã khấu trừ cho người bán trong một tháng."

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM, ví dụ 2026-11")
        parser.add_argument("--format", choices=sorted(BUILDERS), default="xlsx")
        parser.add_argument("--output", help="tệp ghi ra (mặc định thue-khau-tru-YYYY-MM.xxx)")

    def handle(self, *args, month, format, output, **options):
        try:
            chosen = taxlist.Month.parse(month)
            tax_list = taxlist.for_month(chosen)
            data = BUILDERS[format](tax_list)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        path = Path(output or f"thue-khau-tru-{chosen}.{format}")
        path.write_bytes(data)
        self.stdout.write(
            f"{path}: {len(tax_list.rows)} dòng, doanh thu {tax_list.revenue} đồng, "
            f"GTGT {tax_list.vat} đồng, TNCN {tax_list.pit} đồng"
        )
