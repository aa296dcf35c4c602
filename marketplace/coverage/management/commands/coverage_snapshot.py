from django.core.management.base import BaseCommand, CommandError

from marketplace.coverage.services import parse_month, take_snapshot
from marketplace.errors import DomainError


class Command(BaseCommand):
    help = "Chốt số liệu tỷ lệ OCOP trực tuyến của một tháng (chạy định kỳ hằng tháng)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="Tháng YYYY-MM, mặc định tháng này.")

    def handle(self, *args, month, **options):
        try:
            snapshot = take_snapshot(parse_month(month) if month else None)
        except DomainError as exc:
            raise CommandError(exc.message)
        self.stdout.write(
            f"Tháng {snapshot.month:%m/%Y} (ngày {snapshot.as_of:%d/%m/%Y}): "
            f"{snapshot.online}/{snapshot.certified} trực tuyến, tỷ lệ {snapshot.share:.2%}"
        )
