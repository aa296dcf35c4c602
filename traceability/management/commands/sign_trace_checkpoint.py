"""Sign a new tree head over every lot's chain head (run daily from cron)."""

from django.core.management.base import BaseCommand, CommandError

from marketplace.errors import DomainError
from traceability import checkpoints


class Command(BaseCommand):
    help = "Ký số (Ed25519) đầu cây Merkle của mọi chuỗi truy xuất."

    def handle(self, *args, **options):
        try:
            checkpoint, refused = checkpoints.sign_checkpoint()
        except DomainError as exc:
            raise CommandError(f"refusing to sign: {exc.message}")
        for name in refused:
            self.stderr.write(f"NOT SIGNED {name}: its chain no longer extends its signed head")
        self.stdout.write(
            f"tree head {checkpoint.tree_size} leaves, root {checkpoint.root_hash}, "
            f"key {checkpoint.key_id}, signed {checkpoint.signed_at.isoformat()}"
        )
        if refused:
            raise CommandError(f"{len(refused)} lot(s) not signed: history rewritten")
