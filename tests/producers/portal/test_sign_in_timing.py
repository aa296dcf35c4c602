"""Issue 10 item 3: an unknown phone/email costs the same password hashing as a known one.

Counted, not timed: the configured hasher must run exactly once per sign-in attempt, whether or
not the identifier has an account (before the fix an unknown one ran it zero times: 4 ms
against 300-400 ms)."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher

from tests.producers.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0
    return CountingHasher


@pytest.mark.parametrize(
    "identifier, password, signed_in",
    [
        ("0912 345 678", PASSWORD, True),  # known phone, right password
        ("0912 345 678", "sai-mat-khau", False),  # known phone, wrong password
        ("chu@htx-anphu.vn", "sai-mat-khau", False),  # known email
        ("0999 888 777", "sai-mat-khau", False),  # unknown phone
        ("ai-do@example.vn", "sai-mat-khau", False),  # unknown email
        ("khong-phai-so", "sai-mat-khau", False),  # neither
    ],
)
def test_every_sign_in_runs_the_hasher_once(
    client, owner, counting, identifier, password, signed_in
):
    # The owner's stored hash is MD5 from the conftest; counting starts now.
    counting.calls = 0
    response = client.post("/portal/dang-nhap/", {"username": identifier, "password": password})
    assert (response.status_code == 302) is signed_in
    assert counting.calls == 1
