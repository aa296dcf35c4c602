"""Phone photos through the task queue: the upload page answers before the photo is processed,
shows it waiting, then the picture; a damaged file fails visibly; every run is safe twice."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from config.celery import app
from marketplace.catalog import photo_jobs
from marketplace.catalog.models import PhotoUpload, PhotoUploadStatus
from marketplace.errors import DomainError
from marketplace.storage import private_storage
from producers import listings, photo_uploads
from tests.producers.portal.pictures import jpeg_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_mode(django_capture_on_commit_callbacks):
    """As with a broker and workers: the request only queues (nothing runs the task yet)."""
    was = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            yield callbacks
    finally:
        app.conf.task_always_eager = was


def _post_photo(client, product, data):
    return client.post(f"/portal/san-pham/{product.pk}/anh/", {"image": upload(data)})


def _originals() -> set[str]:
    return (
        set(private_storage.listdir("uploads")[1]) if private_storage.exists("uploads") else set()
    )


def _files(product) -> set[str]:
    # Not exists(): an S3 "folder" is only a prefix, never an object of its own.
    try:
        return set(default_storage.listdir(f"products/{product.pk}")[1])
    except FileNotFoundError:  # no folder yet on local disk
        return set()


def test_without_a_worker_the_photo_is_ready_when_the_page_answers(client, owner, product):
    client.force_login(owner)
    response = _post_photo(client, product, jpeg_bytes((2400, 1600)))
    assert response.status_code == 302
    (job,) = PhotoUpload.objects.filter(product=product)
    assert job.status == PhotoUploadStatus.DONE
    assert job.image.product == product and job.image.width == 1600
    assert not private_storage.exists(job.original.name)  # the original is not kept
    page = client.get(response["Location"]).content.decode()
    assert "Đang xử lý ảnh" not in page and 'http-equiv="refresh"' not in page
    assert job.image.thumbnail_url() in page


def test_with_a_worker_the_page_shows_the_photo_waiting_then_ready(
    client, owner, product, queued_mode
):
    client.force_login(owner)
    response = _post_photo(client, product, jpeg_bytes((2400, 1600)))
    assert response.status_code == 302
    (job,) = PhotoUpload.objects.filter(product=product)
    assert job.status == PhotoUploadStatus.QUEUED
    assert private_storage.exists(job.original.name)
    assert not product.images.filter(is_placeholder=False).exists()
    assert connection.run_on_commit  # the task, queued for once the request commits

    page = client.get(response["Location"]).content.decode()
    assert "Đang xử lý ảnh" in page
    assert '<meta http-equiv="refresh" content="4">' in page  # no script needed on a cheap phone

    photo_jobs.process_photo(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == PhotoUploadStatus.DONE
    page = client.get(response["Location"]).content.decode()
    assert "Đang xử lý ảnh" not in page and 'http-equiv="refresh"' not in page
    assert job.image.thumbnail_url() in page


def test_a_second_delivery_of_the_task_changes_nothing(owner, product, queued_mode):
    before = _files(product)  # media outlive each test's rolled-back rows
    job = photo_uploads.queue_photo(owner, product.pk, upload(jpeg_bytes()))
    photo_jobs.process_photo(job.pk)
    files = _files(product)
    photo_jobs.process_photo(job.pk)  # a worker died after finishing, the message came back
    assert product.images.filter(is_placeholder=False).count() == 1
    assert _files(product) == files
    assert len(files - before) == 7  # the picture and its six thumbnails, once


def test_the_same_photo_sent_twice_on_a_weak_connection_is_queued_once(owner, product, queued_mode):
    data = jpeg_bytes()
    first = photo_uploads.queue_photo(owner, product.pk, upload(data))
    again = photo_uploads.queue_photo(owner, product.pk, upload(data))
    assert again.pk == first.pk
    assert PhotoUpload.objects.filter(product=product).count() == 1


def test_a_photo_damaged_in_transit_fails_visibly_and_can_be_dismissed(
    client, owner, product, queued_mode
):
    client.force_login(owner)
    truncated = jpeg_bytes((2400, 1600))[:9000]  # the header is whole, the pixels are not
    assert _post_photo(client, product, truncated).status_code == 302
    (job,) = PhotoUpload.objects.filter(product=product)
    photo_jobs.process_photo(job.pk)
    job.refresh_from_db()
    assert job.status == PhotoUploadStatus.FAILED
    assert "Ảnh bị hỏng hoặc tải lên chưa hết" in job.error
    assert not private_storage.exists(job.original.name)
    assert not product.images.filter(is_placeholder=False).exists()
    page = client.get(f"/portal/san-pham/{product.pk}/anh/").content.decode()
    assert "Không xử lý được ảnh này" in page and "Ảnh bị hỏng" in page
    assert 'http-equiv="refresh"' not in page  # nothing left to wait for

    response = client.post(f"/portal/san-pham/{product.pk}/anh-cho/{job.pk}/bo/")
    assert response.status_code == 302
    assert not PhotoUpload.objects.filter(pk=job.pk).exists()


def test_a_file_that_is_not_a_photo_is_refused_at_once_and_nothing_is_kept(
    client, owner, product, queued_mode
):
    client.force_login(owner)
    before = _originals()
    response = _post_photo(client, product, b"%PDF-1.4 not a photo\n" * 20)
    assert response.status_code == 200
    assert "không phải là ảnh" in response.content.decode()
    assert not PhotoUpload.objects.exists()
    assert _originals() == before


def test_photos_still_processing_count_towards_the_limit(owner, product, queued_mode):
    for i in range(listings.MAX_PHOTOS):
        photo_uploads.queue_photo(owner, product.pk, upload(jpeg_bytes(colour=(i * 25, 40, 40))))
    with pytest.raises(DomainError) as caught:
        photo_uploads.queue_photo(owner, product.pk, upload(jpeg_bytes(colour=(99, 1, 1))))
    assert caught.value.code == "TOO_MANY_PHOTOS"
    assert PhotoUpload.objects.filter(product=product).count() == listings.MAX_PHOTOS


def test_a_photo_withdrawn_before_its_task_ran_is_never_made(owner, product, queued_mode):
    before = _files(product)
    job = photo_uploads.queue_photo(owner, product.pk, upload(jpeg_bytes()))
    photo_uploads.dismiss(owner, product.pk, job.pk)
    photo_jobs.process_photo(job.pk)  # the message arrives after the producer withdrew it
    assert _files(product) == before
    assert not product.images.filter(is_placeholder=False).exists()


@pytest.mark.parametrize("who", ["anonymous", "shopper", "other_owner"])
def test_only_the_products_members_queue_and_dismiss_its_photos(
    client, request, product, owner, who, queued_mode
):
    job = photo_uploads.queue_photo(owner, product.pk, upload(jpeg_bytes()))
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    refused = {"anonymous": 302, "shopper": 403, "other_owner": 404}[who]
    assert _post_photo(client, product, jpeg_bytes(colour=(1, 2, 3))).status_code == refused
    dismiss = f"/portal/san-pham/{product.pk}/anh-cho/{job.pk}/bo/"
    assert client.post(dismiss).status_code == refused
    assert list(PhotoUpload.objects.filter(product=product)) == [job]  # nothing added or gone


def test_a_member_cannot_dismiss_a_photo_of_another_product_through_the_url(
    client, owner, other_owner, product, other_product, queued_mode
):
    theirs = photo_uploads.queue_photo(other_owner, other_product.pk, upload(jpeg_bytes()))
    client.force_login(owner)
    # Their job under my product's URL: not found, still there.
    assert client.post(f"/portal/san-pham/{product.pk}/anh-cho/{theirs.pk}/bo/").status_code == 404
    assert PhotoUpload.objects.filter(pk=theirs.pk).exists()
