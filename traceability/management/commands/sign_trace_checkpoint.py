"""Sign today's chain heads (run daily from cron); prints the checkpoint's key id and size."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from traceability import checkpoints


class Command(BaseCommand):
    help = "Ký số (Ed25519) điểm neo hằng ngày của các chuỗi truy xuất."

    def handle(self, *args, **options):
        checkpoint = checkpoints.sign_checkpoint(timezone.localdate())
        self.stdout.write(
            f"checkpoint {checkpoint.day} key {checkpoint.key_id} "
            f"({len(checkpoint.payload)} bytes signed)"
        )
