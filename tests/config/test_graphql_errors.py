"""What GraphQL clients are told: no introspection in production, no internal text ever."""

import logging

import pytest
from django.db import OperationalError, connections

from config import db_router
from marketplace.coverage import services as coverage
from tests.services import need_postgres

SCHEMA_QUERY = "{ __schema { queryType { name } } }"
LEAKY = 'connection to server at "db.internal" (10.0.0.5), port 5432 failed: Connection refused'


def post(client, query):
    return client.post("/graphql/", {"query": query}, content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("query", [SCHEMA_QUERY, '{ __type(name: "Product") { name } }'])
def test_introspection_is_refused_with_debug_off(graphql, settings, query):
    settings.DEBUG = False
    settings.GRAPHQL_INTROSPECTION = False
    body = graphql(query)
    assert body.get("data") is None
    assert "introspection" in body["errors"][0]["message"]


@pytest.mark.django_db
def test_typename_stays_allowed(graphql, settings):
    settings.DEBUG = False
    settings.GRAPHQL_INTROSPECTION = False
    assert graphql("{ __typename }")["data"] == {"__typename": "Query"}


@pytest.mark.django_db
@pytest.mark.parametrize("switch", ["DEBUG", "GRAPHQL_INTROSPECTION"])
def test_introspection_is_allowed_in_debug_or_when_switched_on(graphql, settings, switch):
    settings.DEBUG = False
    settings.GRAPHQL_INTROSPECTION = False
    setattr(settings, switch, True)
    assert graphql(SCHEMA_QUERY)["data"]["__schema"]["queryType"]["name"] == "Query"


def assert_masked(response, code, caplog, *secrets):
    body = response.content.decode()
    for secret in secrets:
        assert secret not in body
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == code
    request_id = error["extensions"]["requestId"]
    assert response["X-Request-ID"] == request_id
    assert request_id in error["message"]
    logged = [r for r in caplog.records if r.name == "config.graphql" and r.exc_info]
    assert logged and logged[-1].request_id == request_id
    return logged[-1]


@pytest.mark.django_db
def test_a_database_failure_becomes_service_unavailable_without_host_or_port(
    client, caplog, monkeypatch
):
    def down(*args, **kwargs):
        raise OperationalError(LEAKY)

    monkeypatch.setattr(coverage, "compute_coverage", down)
    caplog.set_level(logging.ERROR, logger="config.graphql")
    response = post(client, "{ ocopCoverage { share } }")
    assert_masked(response, "SERVICE_UNAVAILABLE", caplog, "10.0.0.5", "port 5432", "db.internal")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("exception", "secrets"),
    [
        (RecursionError("maximum recursion depth exceeded"), ("recursion", "Recursion")),
        (KeyError("/srv/ocop/secret_settings.py line 12"), ("secret_settings", "KeyError")),
    ],
)
def test_a_bug_becomes_internal_error_with_a_logged_request_id(
    client, caplog, monkeypatch, exception, secrets
):
    def broken(*args, **kwargs):
        raise exception

    monkeypatch.setattr(coverage, "compute_coverage", broken)
    caplog.set_level(logging.ERROR, logger="config.graphql")
    response = post(client, "{ ocopCoverage { share } }")
    record = assert_masked(response, "INTERNAL_ERROR", caplog, *secrets)
    assert record.exc_info[1] is exception  # the whole story is in the log


@pytest.mark.postgres
def test_a_real_database_outage_is_service_unavailable(client, caplog, django_db_blocker):
    """PostgreSQL stops answering (the port is closed): the client sees no host or port."""
    need_postgres()
    # The primary and its read replicas (a query reads from one of those).
    down = [connections[alias] for alias in ["default", *db_router.replica_aliases()]]
    with django_db_blocker.unblock():
        saved_all = []
        for connection in down:
            connection.close()
            saved_all.append(dict(connection.settings_dict))
            connection.settings_dict["PORT"] = "1"
        try:
            caplog.set_level(logging.ERROR, logger="config.graphql")
            response = post(client, '{ product(sku: "x") { name } }')
        finally:
            for connection, saved in zip(down, saved_all, strict=True):
                connection.close()
                connection.settings_dict.update(saved)
                db_router._down_until.pop(connection.alias, None)  # it answers again
        saved = saved_all[0]
    host = saved["HOST"] or "localhost"
    assert_masked(response, "SERVICE_UNAVAILABLE", caplog, f"port {saved['PORT']}", f'{host}"')


@pytest.mark.django_db
def test_domain_errors_keep_their_code_and_message(graphql):
    body = graphql("{ product { name } }")
    assert body["errors"][0]["extensions"]["code"] == "REQUIRED"
    assert body["errors"][0]["message"] == "Cần sku hoặc slug."


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    first, second = client.get("/"), client.get("/")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]
