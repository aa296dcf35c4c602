import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_search(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) >= {"status", "database", "search"}
    assert body["status"] == "ok"
    assert body["database"] in {"sqlite", "postgresql"}
    assert isinstance(body["search"], str) and body["search"]


def test_healthz_is_never_cached(client):
    cache_control = client.get("/healthz")["Cache-Control"]
    assert "no-cache" in cache_control and "max-age=0" in cache_control


def test_healthz_is_read_only(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_is_cheap(client, django_assert_max_num_queries):
    """Load balancers poll it: one round trip to the database, no session or user lookups."""
    with django_assert_max_num_queries(2):
        assert client.get("/healthz").status_code == 200
