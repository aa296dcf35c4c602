"""python manage.py send_refunds — send again the Stripe refunds Stripe never received.

A refund is asked of Stripe after its cancellation commits; when Stripe is unreachable then,
the refund waits (PENDING, no Stripe id). This sends each with its own idempotency key, so a
refund that did reach Stripe is not made twice. Run it from cron every few minutes.
"""

from django.core.management.base import BaseCommand

from marketplace.payments.refunds import send_pending_to_stripe


class Command(BaseCommand):
    help = "Gửi lại các lệnh hoàn tiền Stripe chưa tới được Stripe."

    def handle(self, *args, **options):
        counts = send_pending_to_stripe()
        summary = ", ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "không có"
        self.stdout.write(f"hoàn tiền Stripe: {summary}")
