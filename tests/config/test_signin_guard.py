"""Sign-in brute force: failed attempts count per account and per client, on every sign-in page."""

import pytest
from django.core.cache import cache

from config import ratelimit

pytestmark = pytest.mark.django_db

PASSWORD = "dung-mat-khau-2026"
PAGES = {
    "/admin/login/": "admin",
    "/portal/dang-nhap/": "+84912000111",
    "/office/dang-nhap/": "+84912000111",
}


@pytest.fixture
def limits_on(settings, monkeypatch):
    settings.RATE_LIMITS_ENABLED = True
    # The per-request limit out of the way, so what is measured is the failure count.
    monkeypatch.setitem(ratelimit.LIMITS, "signin", ratelimit.Limit(1000, 300))
    monkeypatch.setitem(ratelimit.LIMITS, "signin-failed-account", ratelimit.Limit(3, 900))
    monkeypatch.setitem(ratelimit.LIMITS, "signin-failed-client", ratelimit.Limit(5, 900))
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def accounts(django_user_model):
    django_user_model.objects.create_superuser("admin", "admin@example.vn", PASSWORD)
    django_user_model.objects.create_user("+84912000111", password=PASSWORD, is_staff=True)


def sign_in(client, path, username, password, address="198.51.100.1"):
    return client.post(
        path, {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


@pytest.mark.parametrize("path", PAGES)
def test_an_account_is_locked_after_failed_attempts_even_from_new_addresses(
    client, accounts, limits_on, path
):
    username = PAGES[path]
    for i in range(3):
        response = sign_in(client, path, username, "sai", address=f"198.51.100.{i}")
        assert response.status_code == 200  # the form again, with its error
    # The right password from yet another address: refused, not signed in.
    locked = sign_in(client, path, username, PASSWORD, address="203.0.113.9")
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", PAGES)
def test_a_client_trying_many_accounts_is_locked(client, accounts, limits_on, path):
    for i in range(5):
        assert sign_in(client, path, f"khach{i}", "sai").status_code == 200
    assert sign_in(client, path, PAGES[path], PASSWORD).status_code == 429
    # Someone else, from another address, signs in normally.
    other = sign_in(client, path, PAGES[path], PASSWORD, address="203.0.113.50")
    assert other.status_code == 302


def test_the_admin_sign_in_counts_every_attempt_per_client(client, accounts, settings, monkeypatch):
    settings.RATE_LIMITS_ENABLED = True
    cache.clear()
    monkeypatch.setitem(ratelimit.LIMITS, "signin", ratelimit.Limit(2, 300))
    assert sign_in(client, "/admin/login/", "", "").status_code == 200
    assert sign_in(client, "/admin/login/", "", "").status_code == 200
    assert sign_in(client, "/admin/login/", "admin", PASSWORD).status_code == 429
    cache.clear()


def test_usernames_are_counted_case_and_space_insensitively(client, accounts, limits_on):
    for spelling in ("admin", "ADMIN", " Admin "):
        sign_in(client, "/admin/login/", spelling, "sai", address="198.51.100.77")
    assert sign_in(client, "/admin/login/", "admin", PASSWORD).status_code == 429


def test_a_correct_password_before_the_limit_signs_in(client, accounts, limits_on):
    sign_in(client, "/admin/login/", "admin", "sai")
    response = sign_in(client, "/admin/login/", "admin", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
