import threading

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from config import ratelimit
from marketplace.checkout.services.complete import complete_checkout
from tests.marketplace.checkout.buying import checkout_for, three_producers

LOOKUP = "{ %s }"
ALIAS = (
    'o%d: order(number: "%s", phone: "0912345678") '
    "{ number shippingAddress { fullName phone streetAddress } }"
)


@pytest.fixture
def limits_on(settings):
    settings.RATE_LIMITS_ENABLED = True
    cache.clear()
    yield
    cache.clear()


def set_limit(monkeypatch, name, limit, window_s=60):
    monkeypatch.setitem(ratelimit.LIMITS, name, ratelimit.Limit(limit, window_s))


def codes(body) -> list[str]:
    return [error["extensions"].get("code") for error in body.get("errors", [])]


@pytest.mark.django_db
def test_graphql_answers_429_with_a_code_once_a_client_exceeds_its_budget(
    client, limits_on, monkeypatch
):
    set_limit(monkeypatch, "api", 3)
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
def test_graphql_over_get_counts_against_the_same_budget(client, limits_on, monkeypatch):
    set_limit(monkeypatch, "api", 2)
    query = "{ productSets { code } }"
    assert client.get("/graphql/", {"query": query}).status_code == 200
    assert (
        client.post("/graphql/", {"query": query}, content_type="application/json").status_code
        == 200
    )
    assert client.get("/graphql/", {"query": query}).status_code == 429


@pytest.mark.django_db
def test_limits_are_per_client_and_per_endpoint(client, limits_on, monkeypatch):
    set_limit(monkeypatch, "signin", 1, 300)
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


@pytest.fixture
def order_number(db):
    checkout = checkout_for(three_producers()[:1])
    return complete_checkout(checkout.pk, "cod").number


@pytest.mark.django_db
def test_each_aliased_order_lookup_is_an_attempt(graphql, limits_on, monkeypatch, order_number):
    """Eight guesses in one request against a limit of five: three are refused."""
    set_limit(monkeypatch, "order-lookup", 5, 300)
    guesses = [f"{order_number[:-1]}{i}" for i in range(7)] + [order_number]
    body = graphql(LOOKUP % " ".join(ALIAS % (i, n) for i, n in enumerate(guesses)))
    assert codes(body).count("RATE_LIMITED") == 3
    assert body["data"]["o7"] is None  # the right guess came too late to be answered
    # The next request, GET or POST, is refused outright, the right number included.
    again = graphql(LOOKUP % (ALIAS % (0, order_number)))
    assert codes(again) == ["RATE_LIMITED"]
    assert again["errors"][0]["extensions"]["retryAfter"] > 0


@pytest.mark.django_db
def test_graphql_and_the_lookup_page_share_one_order_lookup_budget(
    client, graphql, limits_on, monkeypatch, order_number
):
    set_limit(monkeypatch, "order-lookup", 3, 300)
    form = {"number": order_number, "phone": "0912345678"}
    assert client.post("/don-hang/tra-cuu/", form).status_code == 302  # found: 1
    query = LOOKUP % (ALIAS % (0, order_number))
    assert client.get("/graphql/", {"query": query}).json()["data"]["o0"]  # 2, over GET
    assert graphql(query)["data"]["o0"]  # 3
    assert client.post("/don-hang/tra-cuu/", form).status_code == 429
    assert codes(graphql(query)) == ["RATE_LIMITED"]


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_does_not_reset_the_limit(client, limits_on, monkeypatch, settings):
    set_limit(monkeypatch, "signin", 2, 300)
    for trusted in (0, 1):
        settings.TRUSTED_PROXY_COUNT = trusted
        cache.clear()
        statuses = [
            client.post(
                "/portal/dang-nhap/",
                {},
                REMOTE_ADDR="10.0.0.1",  # the proxy (or, with 0, the client itself)
                HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.7",
            ).status_code
            for i in range(3)
        ]
        assert statuses == [200, 200, 429], trusted


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "1.2.3.4", "10.0.0.1"),  # no proxy: the header is the client's own words
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the leftmost entry was written by the client
        (2, "6.6.6.6, 1.2.3.4, 172.16.0.2", "1.2.3.4"),
        (2, "1.2.3.4", "10.0.0.1"),  # fewer hops than proxies: did not come through them
        (1, "", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_is_the_hop_the_trusted_proxy_added(settings, trusted, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = trusted
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert ratelimit.client_address(request) == expected


def test_behind_proxy_alone_means_one_trusted_proxy(monkeypatch):
    import importlib

    from config import settings as project_settings

    monkeypatch.setenv("BEHIND_PROXY", "1")
    monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    try:
        assert importlib.reload(project_settings).TRUSTED_PROXY_COUNT == 1
        monkeypatch.setenv("TRUSTED_PROXY_COUNT", "2")
        assert importlib.reload(project_settings).TRUSTED_PROXY_COUNT == 2
    finally:
        monkeypatch.delenv("BEHIND_PROXY")
        monkeypatch.delenv("TRUSTED_PROXY_COUNT")
        importlib.reload(project_settings)


def test_concurrent_attempts_are_counted_exactly(limits_on, monkeypatch):
    """add + incr: 40 threads racing on one counter let exactly `limit` attempts through."""
    set_limit(monkeypatch, "order-lookup", 25, 300)
    allowed, start = [], threading.Barrier(40)

    def attempt():
        start.wait()
        try:
            ratelimit.hit("order-lookup", "203.0.113.5")
            allowed.append(1)
        except ratelimit.RateLimited:
            pass

    threads = [threading.Thread(target=attempt) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(allowed) == 25
