"""Branded 500 and 503 pages; a lost database is a 503 with Retry-After, never a 500."""

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test import Client
from django.urls import path

from config import db_router
from config import urls as project_urls


def _dead(alias):
    real = connections[alias]
    broken = dict(real.settings_dict)
    if real.vendor == "postgresql":
        broken.update(
            HOST="127.0.0.1", PORT="9", OPTIONS={**broken["OPTIONS"], "connect_timeout": 2}
        )
    else:
        broken["NAME"] = "/nonexistent/ocop/db.sqlite3"
    return load_backend(broken["ENGINE"]).DatabaseWrapper(broken, alias)


@pytest.fixture
def database_down(django_db_blocker):
    """The database (the primary and its read replicas) pointed at one that is not there: a
    port nothing listens on (PostgreSQL) or a path that cannot exist (SQLite). The real
    connections are put back."""
    aliases = ["default", *db_router.replica_aliases()]
    real = {alias: connections[alias] for alias in aliases}
    dead = {alias: _dead(alias) for alias in aliases}
    with django_db_blocker.unblock():
        for alias in aliases:
            connections[alias] = dead[alias]
        try:
            yield
        finally:
            for alias in aliases:
                connections[alias] = real[alias]
                dead[alias].close()
                db_router._down_until.pop(alias, None)  # it answers again


PAGES = ["/", "/san-pham/", "/san-pham/?q=mam", "/san-pham/mam-thai/", "/portal/", "/office/"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_answer_503_with_retry_after_while_the_database_is_down(database_down, url):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "a" * 32  # a signed-in browser: its session is in the database
    response = client.get(url)
    assert response.status_code == 503, url
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Hệ thống đang tạm gián đoạn" in page and "OCOP An Giang" in page
    assert "Content-Security-Policy" in response


def test_the_503_page_is_in_english_with_the_language_switch(database_down):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    response = client.get("/san-pham/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "The service is briefly unavailable" in page
    assert 'name="language" value="vi"' in page  # the switch back to Vietnamese


def test_healthz_answers_503_json_while_the_database_is_down(database_down):
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["status"] == "degraded" and response.json()["database"] == "down"


def _boom(request):
    raise ZeroDivisionError("a bug")


urlpatterns = [path("boom/", _boom), *project_urls.urlpatterns]
handler500 = project_urls.handler500
handler404 = project_urls.handler404


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_bug_gets_the_branded_500_page_in_both_languages():
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "Xin lỗi, đã có lỗi" in response.content.decode()
    assert "a bug" not in response.content.decode()
    english = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en").get("/boom/")
    assert "Sorry, something went wrong" in english.content.decode()
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_healthz_is_200_while_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"
