from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace.coverage.importers import import_external_listings


class Command(BaseCommand):
    help = "Nhập các gian hàng sản phẩm OCOP trên sàn khác (external_listings.csv)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"không có tệp {file}")
        report = import_external_listings(file.read_bytes(), file.name)
        for line in report.lines():
            self.stdout.write(line)
        if not report.written:
            raise CommandError("không nhập được (xem các lỗi ở trên)")
