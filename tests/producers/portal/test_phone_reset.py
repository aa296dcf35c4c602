"""Issue 10 item 2: password reset by phone with a one-time SMS code (hashed, expiring, a few
tries per code counted per try, single use)."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from marketplace.errors import DomainError
from producers import onetime
from producers.models import PhoneCode
from tests.producers.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Lua-Tam-Nong-9x"


def _code(sms_outbox) -> str:
    return re.search(r"\b(\d{6})\b", sms_outbox[-1].text).group(1)


def _ask(client, phone="0912 345 678"):
    return client.post("/portal/quen-mat-khau/dien-thoai/", {"phone": phone})


def _enter(client, code, password=NEW):
    return client.post(
        "/portal/quen-mat-khau/nhap-ma/",
        {"code": code, "new_password1": password, "new_password2": password},
    )


def test_reset_by_sms_code(client, owner, sms_outbox):
    assert _ask(client)["Location"] == "/portal/quen-mat-khau/nhap-ma/"
    [sms] = sms_outbox
    assert sms.phone == "+84912345678"
    code = _code(sms_outbox)
    stored = PhoneCode.objects.get(user=owner)
    assert code not in stored.code_hash
    lifetime = stored.expires_at - stored.created_at
    assert abs(lifetime - onetime.CODE_LIFETIME) < datetime.timedelta(seconds=5)
    response = _enter(client, code)
    assert response["Location"] == "/portal/dang-nhap/"
    owner.refresh_from_db()
    assert owner.check_password(NEW)
    # Single use: the same code again changes nothing.
    client.post("/portal/quen-mat-khau/dien-thoai/", {"phone": "0912345678"})
    with pytest.raises(DomainError) as caught:
        onetime.reset_password_with_code("0912345678", code, "Another-9-pass")
    assert caught.value.code in ("CODE_EXPIRED", "CODE_WRONG")
    owner.refresh_from_db()
    assert owner.check_password(NEW)


def test_unknown_number_gets_the_same_answer_and_no_sms(client, owner, sms_outbox):
    response = _ask(client, "0999 888 777")
    assert response["Location"] == "/portal/quen-mat-khau/nhap-ma/"
    assert sms_outbox == []
    body = _enter(client, "123456").content.decode()
    assert "Mã đã hết hạn" in body


def test_mistyped_number_is_a_clear_error(client, sms_outbox):
    body = _ask(client, "12345").content.decode()
    assert "Số điện thoại không hợp lệ" in body and sms_outbox == []


def test_five_wrong_codes_kill_the_code(client, owner, sms_outbox):
    _ask(client)
    code = _code(sms_outbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        assert f"Còn {left} lần thử" in _enter(client, wrong).content.decode()
    assert "nhập sai quá nhiều lần" in _enter(client, wrong).content.decode()
    # Even the right code is refused now, and the password is unchanged.
    assert "nhập sai quá nhiều lần" in _enter(client, code).content.decode()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD) and not owner.check_password(NEW)
    assert PhoneCode.objects.get(user=owner).attempts == 5


def test_tries_count_per_try_not_per_request(owner, sms_outbox):
    """Tries from different sessions/clients all count against the one code."""
    Client().post("/portal/quen-mat-khau/dien-thoai/", {"phone": "0912345678"})
    code = _code(sms_outbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(onetime.MAX_CODE_ATTEMPTS):
        browser = Client()
        _ask(browser)  # each new browser asks again: at most 3 codes an hour are sent
        _enter(browser, wrong)
    assert len(sms_outbox) == onetime.MAX_CODES_PER_HOUR
    assert sum(PhoneCode.objects.filter(user=owner).values_list("attempts", flat=True)) == 5


def test_expired_code_is_refused(client, owner, sms_outbox):
    _ask(client)
    PhoneCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert "Mã đã hết hạn" in _enter(client, _code(sms_outbox)).content.decode()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_a_new_code_ends_the_old_one(client, owner, sms_outbox):
    _ask(client)
    old = _code(sms_outbox)
    _ask(client)
    new = _code(sms_outbox)
    if old != new:
        assert "Mã" in _enter(client, old).content.decode()
        owner.refresh_from_db()
        assert owner.check_password(PASSWORD)
    assert _enter(client, new)["Location"] == "/portal/dang-nhap/"


def test_weak_password_keeps_the_code(client, owner, sms_outbox):
    _ask(client)
    code = _code(sms_outbox)
    response = _enter(client, code, "123")
    assert response.status_code == 200
    assert _enter(client, code)["Location"] == "/portal/dang-nhap/"
