import pytest
from django.conf import settings
from django.test import override_settings

from marketplace.search import services
from tests.services import need


def engine_reachable() -> bool:
    if not settings.SEARCH_URL:
        return False
    with override_settings(SEARCH_BACKEND="elasticsearch"):
        from marketplace.search.backends import engine

        return engine.ping()


def need_engine() -> None:
    need(engine_reachable(), "needs an Elasticsearch node: set SEARCH_URL=http://127.0.0.1:9200")


@pytest.fixture
def engine(worker_id, django_db_blocker, request):
    """The elasticsearch backend over a fresh index of the sample catalog (per test worker)."""
    need_engine()
    prefix = f"ocop-test-{worker_id}-{request.node.name[:20].lower()}"
    prefix = "".join(ch if ch.isalnum() or ch == "-" else "-" for ch in prefix)
    with override_settings(SEARCH_BACKEND="elasticsearch", SEARCH_INDEX_PREFIX=prefix):
        from marketplace.search.backends import engine as backend

        services._engine_down_until = 0.0
        backend.drop_all()
        with django_db_blocker.unblock():
            services.reindex(engine=True)
        yield backend
        backend.drop_all()


@pytest.fixture(autouse=True)
def _engine_state_reset():
    """A test that saw the engine down must not keep the next one on the database."""
    services._engine_down_until = 0.0
    yield
    services._engine_down_until = 0.0
