"""Create the media buckets (MEDIA_S3_BUCKET, MEDIA_S3_PRIVATE_BUCKET) where they are missing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create the public and private media buckets on MEDIA_S3_ENDPOINT if missing."

    def handle(self, *args, **options):
        if not settings.MEDIA_S3:
            raise CommandError("MEDIA_S3_ENDPOINT is not set: media are local files.")
        from marketplace.storage_s3 import ensure_buckets

        made = ensure_buckets(settings.MEDIA_S3)
        self.stdout.write(f"created: {', '.join(made)}" if made else "both buckets exist")
