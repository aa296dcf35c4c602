"""Search index updates as tasks: the dead-letter log when the engine refuses, and its repair."""

import pytest
from django.test import override_settings

from marketplace.catalog.models import Product, ProductStatus
from marketplace.search import services, tasks
from marketplace.search.models import IndexFailure
from marketplace.search.tasks import backoff
from tests.marketplace.search.conftest import need_engine

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: every connection is refused at once.
REFUSING = {
    "SEARCH_BACKEND": "elasticsearch",
    "SEARCH_URL": "http://127.0.0.1:1",
    "SEARCH_INDEX_PREFIX": "ocop-refusing",
}


def _a_product() -> Product:
    return Product.objects.filter(status=ProductStatus.PUBLISHED).order_by("pk").first()


def test_a_save_while_the_engine_refuses_lands_in_the_dead_letter_log(
    django_capture_on_commit_callbacks,
):
    product = _a_product()
    with override_settings(**REFUSING), django_capture_on_commit_callbacks(execute=True):
        product.name_en = "Refused while the engine was down"
        product.save(update_fields=["name_en"])
    failure = IndexFailure.objects.get()
    assert failure.product_ids == [product.pk]
    assert failure.repaired_at is None and failure.attempts == 1
    assert failure.error.startswith("ConnectionError")
    # The database documents (the default backend's index) were written all the same.
    product.search_document.refresh_from_db()
    assert "refused while the engine was down" in product.search_document.name


def test_a_refresh_that_reaches_the_engine_logs_nothing(django_capture_on_commit_callbacks):
    product = _a_product()
    with django_capture_on_commit_callbacks(execute=True):  # database backend: no engine
        product.save(update_fields=["name"])
    assert not IndexFailure.objects.exists()


def test_bulk_loads_queue_nothing(django_capture_on_commit_callbacks):
    with (
        override_settings(**REFUSING),
        services.indexing_paused(),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _a_product().save(update_fields=["name"])
    assert not IndexFailure.objects.exists()


def test_a_worker_retries_with_growing_backoff_before_giving_up():
    # A worker's retry counter: 5 s, 10 s, 20 s … capped at five minutes; after MAX_RETRIES the
    # products go to the log (the retries themselves run on a worker: tests/config/test_worker.py).
    assert [backoff(n) for n in range(tasks.MAX_RETRIES)] == [5, 10, 20, 40, 80, 160]
    assert backoff(10) == 300


def test_search_reindex_repairs_what_the_log_holds(django_db_blocker, request):
    need_engine()
    product = _a_product()
    with override_settings(**REFUSING):
        tasks.refresh_products.apply(args=[[product.pk]])
    assert IndexFailure.objects.filter(repaired_at__isnull=True).count() == 1
    services._engine_down_until = 0.0
    prefix = f"ocop-test-deadletter-{request.node.name[-8:].lower()}"
    with override_settings(SEARCH_BACKEND="elasticsearch", SEARCH_INDEX_PREFIX=prefix):
        from marketplace.search.backends import engine

        try:
            report = services.reindex(engine=True)
            assert report["failures_repaired"] == 1
            engine.client().indices.refresh(index=engine.alias())
            assert engine.client().get(index=engine.alias(), id=product.pk)["found"]
        finally:
            engine.drop_all()
    assert not IndexFailure.objects.filter(repaired_at__isnull=True).exists()


def test_a_failure_is_shown_to_staff_in_the_admin(admin_client):
    IndexFailure.objects.create(product_ids=[1, 2], error="ConnectionError: refused")
    page = admin_client.get("/admin/search/indexfailure/")
    assert page.status_code == 200
    assert "ConnectionError: refused" in page.content.decode()
    assert admin_client.get("/admin/search/indexfailure/add/").status_code == 403
