"""Phone photos processed off the request: the upload page answers as soon as the file is
checked and kept, and a task (Celery) decodes, normalises and makes the thumbnails.

A camera photo is several MB; decoding it and writing seven files (to S3 when media live there)
takes seconds a producer on a weak connection should not wait for. Without a broker the task
runs at once, inside the request, so `make run` behaves as before.

Safe to run twice: a job is finished in one transaction that locks its row and checks it is
still queued; a second run finds it done and stops, a run that lost that race deletes the files
it wrote. Files are written before that lock, never while it is held (S3 is a network call).
"""

import hashlib
from dataclasses import dataclass

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction

from config.celery import app, enqueue
from marketplace.catalog import images
from marketplace.catalog.models import PhotoUpload, PhotoUploadStatus, Product
from marketplace.errors import DomainError
from marketplace.storage import private_storage

QUEUED = PhotoUploadStatus.QUEUED


@dataclass(frozen=True)
class Kept:
    name: str  # in private storage
    sha256: str


def keep(upload) -> Kept:
    """Check `upload` from its header (clear errors at once) and keep it for the task.

    Call before taking any lock: the file may go to S3, a network call."""
    images.check_upload(upload)
    upload.seek(0)
    data = upload.read()
    digest = hashlib.sha256(data).hexdigest()
    return Kept(private_storage.save(f"uploads/{digest[:24]}", ContentFile(data)), digest)


def discard(kept: Kept) -> None:
    private_storage.delete(kept.name)


def queue(product: Product, kept: Kept, *, alt: str = "") -> PhotoUpload:
    """Record the job, inside the transaction that holds the product; then `start` it."""
    waiting = PhotoUpload.objects.filter(product=product, sha256=kept.sha256, status=QUEUED)
    if (twin := waiting.first()) is not None:  # the same photo sent again on a weak connection
        transaction.on_commit(lambda: discard(kept))
        return twin
    return PhotoUpload.objects.create(
        product=product, original=kept.name, sha256=kept.sha256, alt=alt
    )


def start(job: PhotoUpload) -> None:
    """Process `job` on a worker once the transaction commits, or here and now without one."""
    if app.conf.task_always_eager:
        process_photo(job.pk)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: enqueue(process_photo, job.pk), robust=True)


@shared_task(name="catalog.process_photo")
def process_photo(job_id: int) -> None:
    job = PhotoUpload.objects.filter(pk=job_id, status=QUEUED).select_related("product").first()
    if job is None:  # finished, failed or withdrawn: a second delivery changes nothing
        return
    try:
        with private_storage.open(job.original.name, "rb") as handle:
            picture = images.decode(images.check_upload(handle))
            name, picture = images.write_files(f"products/{job.product_id}", picture)
    except DomainError as exc:
        PhotoUpload.objects.filter(pk=job.pk, status=QUEUED).update(
            status=PhotoUploadStatus.FAILED, error=exc.message[:500]
        )
        _drop_original(job)
        return
    with transaction.atomic():
        locked = PhotoUpload.objects.select_for_update().filter(pk=job.pk, status=QUEUED).first()
        product = Product.objects.select_for_update().filter(pk=job.product_id).first()
        if locked is None or product is None:  # another run finished first, or it was deleted
            transaction.on_commit(lambda: images.delete_names(images.file_names(name)))
            return
        image = images.record_image(
            product, name, picture, alt=job.alt, position=images.next_position(product)
        )
        images.drop_placeholders(product)
        locked.status, locked.image = PhotoUploadStatus.DONE, image
        locked.save(update_fields=["status", "image"])
    _drop_original(job)


def _drop_original(job: PhotoUpload) -> None:
    private_storage.delete(job.original.name)


def withdraw(job: PhotoUpload) -> None:
    """The producer dismisses a failed photo (or one still waiting): its original goes too."""
    if PhotoUpload.objects.filter(pk=job.pk).exclude(status=PhotoUploadStatus.DONE).delete()[0]:
        transaction.on_commit(lambda: _drop_original(job))
