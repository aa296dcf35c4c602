"""python manage.py issue_statements [--period-end YYYY-MM-DD] — issue the settlement statements
of every closed period up to that end (default: the last closed one) with anything to settle.

Idempotent: a second run issues nothing new. Refused (exit code 1) for a day that does not end
a period, or a period not over yet.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from marketplace.errors import DomainError
from marketplace.money import format_vnd
from marketplace.settlements import statements


class Command(BaseCommand):
    help = "Phát hành bảng đối soát cho nhà sản xuất các kỳ đã kết thúc."

    def add_arguments(self, parser):
        parser.add_argument(
            "--period-end",
            type=datetime.date.fromisoformat,
            help="ngày cuối kỳ, YYYY-MM-DD (mặc định: kỳ vừa kết thúc)",
        )

    def handle(self, *args, period_end=None, **options):
        try:
            issued = statements.issue_all(period_end)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for statement in issued:
            self.stdout.write(f"{statement.number}: thực nhận {format_vnd(statement.net)}")
        self.stdout.write(f"Đã phát hành {len(issued)} bảng đối soát.")
