"""python manage.py check_ledger — exit 0 when the ledger balances and records every payment
and delivery; otherwise list each place it does not and exit 1."""

from django.core.management.base import BaseCommand, CommandError

from marketplace.checkout.ledger_check import all_problems
from marketplace.settlements.models import Entry


class Command(BaseCommand):
    help = "Kiểm tra sổ cái: mọi bút toán cân, mọi đơn và nhà sản xuất cân, khớp với đơn hàng."

    def handle(self, *args, **options):
        problems = all_problems()
        for problem in problems:
            self.stderr.write(f"{problem.where}: {problem.what}")
        if problems:
            raise CommandError(f"Sổ cái có {len(problems)} chỗ sai.", returncode=1)
        self.stdout.write(f"Sổ cái cân: {Entry.objects.count()} bút toán.")
