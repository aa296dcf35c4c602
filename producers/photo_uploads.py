"""A member's phone photos through the task queue (catalog.photo_jobs): the portal's upload
page answers before the photo is processed, and shows what is still being processed."""

from django.db import transaction
from django.utils.translation import gettext

from marketplace.catalog import photo_jobs
from marketplace.catalog.models import PhotoUpload, PhotoUploadStatus
from marketplace.errors import DomainError
from marketplace.text import nfc
from producers.errors import ProducerError
from producers.listings import check_room_for_photo, get_product

SHOWN = (PhotoUploadStatus.QUEUED, PhotoUploadStatus.FAILED)


def queue_photo(user, pk, upload, alt: str = "") -> PhotoUpload:
    get_product(user, pk)  # someone else's product: refused before any file is kept
    kept = photo_jobs.keep(upload)
    try:
        with transaction.atomic():
            product = get_product(user, pk, for_update=True)
            waiting = product.photo_uploads.filter(status=PhotoUploadStatus.QUEUED)
            check_room_for_photo(product, waiting.exclude(sha256=kept.sha256).count())
            job = photo_jobs.queue(product, kept, alt=nfc(alt)[:200])
    except BaseException:
        photo_jobs.discard(kept)
        raise
    photo_jobs.start(job)
    return job


def unfinished(product) -> list[PhotoUpload]:
    """The product's photos still being processed, and those that could not be."""
    return list(product.photo_uploads.filter(status__in=SHOWN).order_by("created_at", "id"))


@transaction.atomic
def dismiss(user, pk, job_pk) -> None:
    product = get_product(user, pk)
    job = product.photo_uploads.filter(pk=job_pk, status__in=SHOWN).first()
    if job is None:
        raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy ảnh."), "image")
    photo_jobs.withdraw(job)
