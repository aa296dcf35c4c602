"""Re-chain history recorded before CBV 2.0 event hash IDs (see traceability/rechain.py)."""

from django.core.management.base import BaseCommand, CommandError

from traceability import rechain


class Command(BaseCommand):
    help = "Chuyển chuỗi băm cũ sang mã băm sự kiện CBV 2.0 (chỉ lô có chuỗi cũ còn nguyên vẹn)."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="write (default: only report)")

    def handle(self, *args, apply, **options):
        outcomes = rechain.plan_and_apply(apply)
        for o in outcomes:
            if o.refused:
                self.stdout.write(f"LEFT AS IS {o.lot}: {o.refused} (old head {o.old_head})")
            else:
                verb = "RECHAINED" if apply else "WOULD RECHAIN"
                self.stdout.write(f"{verb} {o.lot}: old head {o.old_head} -> new {o.new_head}")
        done = sum(1 for o in outcomes if not o.refused)
        self.stdout.write(f"{done} lot(s) re-chained{'' if apply else ' (dry run)'}")
        if apply and done:
            self.stdout.write("Now run sign_trace_checkpoint so a signed head anchors them.")
        if any(o.refused for o in outcomes):
            raise CommandError(f"{sum(1 for o in outcomes if o.refused)} lot(s) left as they were")
