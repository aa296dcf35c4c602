import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace.coverage.importers import import_register


class Command(BaseCommand):
    help = "Nhập sổ OCOP của tỉnh (.csv hoặc .xlsx); in kết quả từng dòng."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            help="Ngày tính hiệu lực (YYYY-MM-DD), mặc định hôm nay.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Nhập các dòng hợp lệ, bỏ qua dòng lỗi.",
        )

    def handle(self, *args, file: Path, as_of, skip_invalid, **options):
        if not file.is_file():
            raise CommandError(f"không có tệp {file}")
        report = import_register(
            file.read_bytes(), file.name, as_of=as_of, skip_invalid=skip_invalid
        )
        for line in report.lines():
            self.stdout.write(line)
        if not report.written:
            raise CommandError("sổ không được nhập (xem các lỗi ở trên)")
