"""Sign-in by phone or email, long sessions, password reset, owners inviting staff, CSRF."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from marketplace.addresses.phones import normalize_phone
from marketplace.errors import DomainError
from producers import invitations
from producers.models import MemberRole, Membership
from tests.producers.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed", ["0912345678", "0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678"]
)
def test_phone_numbers_normalise_to_plus_84(typed):
    assert normalize_phone(typed) == "+84912345678"


@pytest.mark.parametrize("typed", ["12345", "0912", "hello", "+1 415 555 0100", "0112345678"])
def test_bad_phone_numbers_are_refused(typed):
    with pytest.raises(DomainError) as caught:
        normalize_phone(typed)
    assert caught.value.code == "INVALID_PHONE"


@pytest.mark.parametrize("typed", ["0912 345 678", "+84912345678", "CHU@htx-anphu.vn"])
def test_sign_in_with_phone_or_email(client, owner, typed):
    response = client.post("/portal/dang-nhap/", {"username": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200


def test_wrong_password_is_refused_in_vietnamese(client, owner):
    response = client.post("/portal/dang-nhap/", {"username": "0912345678", "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_session_is_long_lived_and_secure(client, owner):
    client.post("/portal/dang-nhap/", {"username": "0912345678", "password": PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) >= 14 * 24 * 3600
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    # A reload (or a retried request after a dropped connection) stays signed in.
    assert client.get("/portal/san-pham/").status_code == 200


def test_logout_needs_post_and_ends_session(client, owner):
    client.force_login(owner)
    assert client.get("/portal/dang-xuat/").status_code == 405
    response = client.post("/portal/dang-xuat/")
    assert response.status_code == 302
    assert client.get("/portal/").status_code == 302


def test_forms_are_csrf_protected(owner, product):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    response = browser.post(f"/portal/san-pham/{product.pk}/sua-nhanh/", {"stock": "1"})
    assert response.status_code == 403
    product.refresh_from_db()
    assert product.stock.quantity != 1
    login_page = Client(enforce_csrf_checks=True).get("/portal/dang-nhap/")
    assert "csrfmiddlewaretoken" in login_page.content.decode()


def test_password_reset_by_email(client, owner):
    response = client.post("/portal/quen-mat-khau/", {"email": "chu@htx-anphu.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/portal/dat-mat-khau/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Lua-Tam-Nong-9x", "new_password2": "Lua-Tam-Nong-9x"},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("Lua-Tam-Nong-9x")


def test_console_backend_is_the_default():
    # The configured value (tests swap in locmem); with a broker EMAIL_BACKEND is the queue's,
    # which delivers through it.
    from config.settings import EMAIL_DELIVERY_BACKEND

    assert EMAIL_DELIVERY_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_owner_invites_staff_who_sets_a_password_and_signs_in(client, owner, producer, sms_outbox):
    client.force_login(owner)
    response = client.post(
        "/portal/thanh-vien/", {"phone": "0977 111 222", "email": "", "name": "Chị Lan"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    membership = Membership.objects.get(producer=producer, user__username="+84977111222")
    assert membership.role == MemberRole.STAFF
    # The link went to the invitee's own phone, and is nowhere on the inviter's page.
    [sms] = sms_outbox
    assert sms.phone == "+84977111222"
    link = re.search(r"https?://[^/]+(/portal/kich-hoat/\S+/)", sms.text).group(1)
    assert link not in body and "kich-hoat" not in body

    invited = Client()
    invited.post(link, {"new_password1": "Dua-Bay-Nui-2025", "new_password2": "Dua-Bay-Nui-2025"})
    response = invited.post(
        "/portal/dang-nhap/", {"username": "0977111222", "password": "Dua-Bay-Nui-2025"}
    )
    assert response.status_code == 302
    assert invited.get("/portal/san-pham/").status_code == 200


def test_invite_by_email_sends_the_link(owner, producer):
    invitation = invitations.invite_member(owner, producer, email="Ban@Example.vn", phone="")
    assert invitation.sent_to == ("ban@example.vn",)
    assert invitation.link_path in mail.outbox[0].body
    assert invitation.user.email == "ban@example.vn"


def test_invite_refuses_duplicates_and_staff_inviters(owner, staff_member, producer):
    with pytest.raises(DomainError) as caught:
        invitations.invite_member(owner, producer, phone="0987654321")
    assert caught.value.code == "ALREADY_MEMBER"
    with pytest.raises(DomainError) as caught:
        invitations.invite_member(staff_member, producer, phone="0977000111")
    assert caught.value.code == "PERMISSION_DENIED"
    with pytest.raises(DomainError) as caught:
        invitations.invite_member(owner, producer)
    assert caught.value.code == "REQUIRED"
