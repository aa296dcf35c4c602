import pytest
from django.core.cache import cache

from config import ratelimit


@pytest.fixture
def limits_on(settings):
    settings.RATE_LIMITS_ENABLED = True
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_graphql_answers_429_with_a_code_once_a_client_exceeds_its_budget(
    client, limits_on, monkeypatch
):
    rule = ratelimit.Rule("graphql", ratelimit.RULES[0].path, frozenset({"POST"}), 3, 60)
    monkeypatch.setattr(ratelimit, "RULES", (rule,))
    query = {"query": "{ productSets { code } }"}
    statuses = [
        client.post("/graphql/", query, content_type="application/json").status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    refused = client.post("/graphql/", query, content_type="application/json")
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert 0 < int(refused["Retry-After"]) <= 60


@pytest.mark.django_db
def test_limits_are_per_client_and_per_endpoint(client, limits_on, monkeypatch):
    rule = ratelimit.Rule("login", ratelimit.RULES[3].path, frozenset({"POST"}), 1, 300)
    monkeypatch.setattr(ratelimit, "RULES", (rule,))
    assert client.post("/portal/dang-nhap/", {}).status_code == 200
    assert client.post("/portal/dang-nhap/", {}).status_code == 429
    assert "thử lại" in client.post("/portal/dang-nhap/", {}).content.decode()
    # Another address still gets in, and other pages are not counted at all.
    assert client.post("/portal/dang-nhap/", {}, REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_sms_code_requests_are_limited_per_client(client, limits_on, sms_outbox):
    statuses = [
        client.post("/portal/quen-mat-khau/dien-thoai/", {"phone": f"090{i}111222"}).status_code
        for i in range(6)
    ]
    assert statuses == [302] * 5 + [429]


def test_every_public_endpoint_named_in_the_rules_exists():
    from django.urls import resolve

    samples = {
        "graphql": "/graphql/",
        "suggest": "/search/suggest",
        "scan": "/01/08933810630018/10/L260726A",
        "login": "/portal/dang-nhap/",
        "password-reset": "/portal/quen-mat-khau/",
        "reset-code": "/portal/quen-mat-khau/nhap-ma/",
        "set-password-link": "/portal/kich-hoat/some-token/",
        "report-fake": "/truy-xuat/bao-gia-mao",
        "order-lookup": "/don-hang/tra-cuu/",
    }
    for rule in ratelimit.RULES:
        path = samples[rule.name]
        assert rule.path.match(path), rule.name
        resolve(path)  # raises Resolver404 if the endpoint moved
