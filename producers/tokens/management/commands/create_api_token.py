"""Print a new API token for a producer (shown once; only its hash is stored)."""

from django.core.management.base import BaseCommand, CommandError

from producers.models import Producer
from producers.tokens import services


class Command(BaseCommand):
    help = "Tạo mã API cho cơ sở sản xuất (Authorization: Bearer MÃ)."

    def add_arguments(self, parser):
        parser.add_argument("producer_code")
        parser.add_argument("--name", default="API")

    def handle(self, *args, producer_code, name, **options):
        producer = Producer.objects.filter(code=producer_code).first()
        if producer is None:
            raise CommandError(f"Không có cơ sở mã '{producer_code}'.")
        new = services.create_token(producer, name)
        self.stdout.write(new.secret)
