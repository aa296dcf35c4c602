import os
import uuid
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import override_settings

from config.storages import build_storages, public_media_url
from tests.services import need_postgres, s3_reachable


def _media_settings(tmp_path_factory) -> dict:
    """Local folders, or the S3 server of MEDIA_S3_ENDPOINT when it answers: then every test
    that writes or reads media (photos, thumbnails, evidence) runs against real buckets."""
    s3 = settings.MEDIA_S3 if s3_reachable() else None
    storages = build_storages(
        plain_static=True,
        private_root=tmp_path_factory.mktemp("private"),
        s3=s3,
        signed_url_seconds=settings.SIGNED_URL_SECONDS,
    )
    if s3:
        # Each xdist worker's database numbers its products from 1 as well: in one shared
        # bucket their photos would meet under the same products/<id>/ names.
        prefix = f"tests/{uuid.uuid4().hex[:12]}"
        for alias in ("default", "private"):
            storages[alias]["OPTIONS"]["location"] = prefix
    return {
        "STORAGES": storages,
        "MEDIA_URL": public_media_url(s3, "/media/"),
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
    }


def _worker_caches() -> dict:
    """With REDIS_URL, the shared cache on a Redis database of this xdist worker's own.

    Tests clear the cache (FLUSHDB); on one shared database they would clear each other's. The
    URL's own database (0 in CI) is left to the worker tests; each run's xdist workers take the
    four databases after base × 4, within Redis's default 16, so that runs given different
    databases of one shared Redis (REDIS_URL=…/1, …/2) do not clear each other's either.
    """
    if not settings.REDIS_URL:
        return settings.CACHES
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    url = urlsplit(settings.REDIS_URL)
    base = int(url.path.strip("/") or 0)
    database = (base * 4 + worker % 4) % 15 + 1
    location = url._replace(path=f"/{database}").geturl()
    return {"default": {**settings.CACHES["default"], "LOCATION": location}}


@pytest.fixture(scope="session", autouse=True)
def _eager_tasks():
    """Tasks run at once, inside the test's transaction, even when REDIS_URL names a broker: a
    worker process could not see a test's uncommitted rows. tests/config/test_worker.py starts
    real workers for what only they can show."""
    from config.celery import app

    was = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory):
    """Plain static storage (no collectstatic needed), throw-away media, no rate limits."""
    with override_settings(
        **_media_settings(tmp_path_factory),
        CACHES=_worker_caches(),
        # Tests fire requests far faster than a person; tests/config/test_ratelimit.py turns
        # the limits back on.
        RATE_LIMITS_ENABLED=False,
        # Text messages land in marketplace.notify.sms.outbox (see the sms_outbox fixture).
        SMS_BACKEND="marketplace.notify.sms.LocmemBackend",
    ):
        yield


@pytest.fixture(autouse=True)
def sms_outbox():
    """The SMS sent during this test (like pytest-django's mailoutbox), empty at its start."""
    from marketplace.notify import sms

    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the sample catalog once per test database (without images: they are slow)."""
    from fixtures.loader import load_sample_catalog

    with django_db_blocker.unblock():
        load_sample_catalog(images=False)


@pytest.fixture
def graphql(client):
    """POST a query to /graphql/ and return the decoded JSON body."""

    def run(query: str, variables: dict | None = None, **extra):
        response = client.post(
            "/graphql/",
            {"query": query, "variables": variables or {}},
            content_type="application/json",
            **extra,
        )
        assert response.status_code in (200, 400), response.content[:500]
        return response.json()

    return run


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Real commits that every thread's own connection sees.

    Not `django_db(transaction=True)`: its flush afterwards would also empty the sample catalog
    and the admin units that the rest of the suite reads. This cleans up exactly what it made.
    """
    from marketplace.catalog.models import Stock
    from marketplace.checkout.models import Checkout, Order
    from marketplace.settlements.models import Entry, LineCharge

    with django_db_blocker.unblock():
        saved_stock = dict(Stock.objects.values_list("pk", "quantity"))
        checkouts_before = set(Checkout.objects.values_list("pk", flat=True))
        yield
        made = Checkout.objects.exclude(pk__in=checkouts_before)
        Entry.objects.filter(order__checkout__in=made).delete()
        LineCharge.objects.filter(sub_order__order__checkout__in=made).delete()
        Order.objects.filter(checkout__in=made).delete()
        made.delete()
        for pk, quantity in saved_stock.items():
            Stock.objects.filter(pk=pk).exclude(quantity=quantity).update(quantity=quantity)


@pytest.fixture
def committed_postgres(request):
    """`committed` on PostgreSQL, skipped (before any database work) elsewhere."""
    need_postgres()
    request.getfixturevalue("committed")


@pytest.fixture(autouse=True)
def _mutation_codes_are_declared(monkeypatch):
    """Every error any mutation answers with, in any test, is a code of the domains it declares
    (DomainMutation.error_codes, documented in the schema): a new code cannot slip in unlisted."""
    from marketplace.graphql.mutations import DomainMutation

    answered = DomainMutation.errors_for.__func__
    strays = []

    def checked(cls, exc):
        strays.extend(f"{cls.__name__}: {code}" for code in cls.undeclared(exc))
        return answered(cls, exc)

    monkeypatch.setattr(DomainMutation, "errors_for", classmethod(checked))
    yield
    assert not strays, f"mutations answered codes their error_codes do not list: {strays}"
