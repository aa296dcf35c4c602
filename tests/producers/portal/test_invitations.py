"""Issue 10 item 1: an invitation never lets the inviter set or reset anyone's password.

Existing accounts get a membership request they accept while signed in; new accounts get a
single-use, expiring link sent to their own phone/email; staff accounts cannot be invited.
"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone

from marketplace.errors import DomainError
from producers import invitations
from producers.models import (
    MemberRole,
    Membership,
    MembershipRequest,
    RequestStatus,
    SetPasswordLink,
)
from tests.producers.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Dua-Bay-Nui-2025"


def _state():
    User = get_user_model()
    return {
        "passwords": sorted(User.objects.values_list("pk", "password")),
        "memberships": sorted(Membership.objects.values_list("user_id", "producer_id", "role")),
        "requests": sorted(MembershipRequest.objects.values_list("user_id", "status")),
        "links": SetPasswordLink.objects.count(),
        "users": User.objects.count(),
    }


def _invite_page(client, owner, **data):
    client.force_login(owner)
    return client.post("/portal/thanh-vien/", {"phone": "", "email": "", "name": "", **data})


def test_inviting_an_existing_account_hands_over_no_way_in(client, owner, shopper, sms_outbox):
    """Regression: the inviter used to get a set-password link for the shopper's account."""
    response = _invite_page(client, owner, phone="0944 444 444")
    body = response.content.decode()
    assert response.status_code == 200
    assert "dat-mat-khau" not in body and "kich-hoat" not in body
    assert not SetPasswordLink.objects.filter(user=shopper).exists()
    shopper.refresh_from_db()
    assert shopper.check_password(PASSWORD)
    # Nobody's message carries a password link either; only a "sign in and accept" notice.
    assert all("kich-hoat" not in sms.text for sms in sms_outbox)
    assert all("dat-mat-khau" not in m.body and "kich-hoat" not in m.body for m in mail.outbox)
    assert not Membership.objects.filter(user=shopper).exists()
    request = MembershipRequest.objects.get(user=shopper)
    assert request.status == RequestStatus.PENDING and request.role == MemberRole.STAFF


def test_existing_account_accepts_the_request_while_signed_in(client, owner, producer, shopper):
    invitations.invite_member(owner, producer, phone="0944444444")
    invitee = Client()
    invitee.force_login(shopper)
    # Not a member yet: the portal sends them to their invitations.
    assert invitee.get("/portal/")["Location"] == "/portal/loi-moi/"
    page = invitee.get("/portal/loi-moi/").content.decode()
    assert producer.name in page and "Nhận lời" in page
    request = MembershipRequest.objects.get(user=shopper)
    response = invitee.post(f"/portal/loi-moi/{request.pk}/", {"action": "accept"})
    assert response.status_code == 302
    assert Membership.objects.get(user=shopper).producer == producer
    assert invitee.get("/portal/").status_code == 200


def test_declining_changes_nothing_but_the_request(client, owner, producer, shopper):
    invitations.invite_member(owner, producer, phone="0944444444")
    request = MembershipRequest.objects.get(user=shopper)
    client.force_login(shopper)
    client.post(f"/portal/loi-moi/{request.pk}/", {"action": "decline"})
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED
    assert not Membership.objects.filter(user=shopper).exists()


def test_someone_elses_request_is_not_found(client, owner, producer, shopper, other_owner):
    invitations.invite_member(owner, producer, phone="0944444444")
    request = MembershipRequest.objects.get(user=shopper)
    client.force_login(other_owner)
    before = _state()
    assert client.post(f"/portal/loi-moi/{request.pk}/", {"action": "accept"}).status_code == 404
    assert producer.name not in client.get("/portal/loi-moi/").content.decode()
    assert _state() == before


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
@pytest.mark.parametrize("by", ["phone", "email"])
def test_staff_accounts_cannot_be_invited(client, owner, django_user_model, flag, by):
    """Regression: a superuser found by email got a set-password link handed to the inviter."""
    admin = django_user_model.objects.create_user(
        "+84901000999", email="admin@ocop-angiang.vn", password=PASSWORD, **{flag: True}
    )
    before = _state()
    data = {"phone": "0901 000 999"} if by == "phone" else {"email": "ADMIN@ocop-angiang.vn"}
    body = _invite_page(client, owner, **data).content.decode()
    assert "Tài khoản quản trị của hệ thống không thể được mời" in body
    assert _state() == before
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)


def test_member_of_another_producer_is_refused(client, owner, other_owner):
    before = _state()
    body = _invite_page(client, owner, phone="0933 333 333").content.decode()
    assert "đã là thành viên của một chủ thể khác" in body
    assert _state() == before


def test_phone_and_email_of_two_accounts_is_refused(client, owner, shopper, staff_member):
    before = _state()
    body = _invite_page(
        client, owner, phone="0987 654 321", email="khach@example.vn"
    ).content.decode()
    assert "thuộc hai tài khoản khác nhau" in body
    assert _state() == before


def test_a_second_pending_request_is_refused(owner, producer, shopper):
    invitations.invite_member(owner, producer, phone="0944444444")
    with pytest.raises(DomainError) as caught:
        invitations.invite_member(owner, producer, phone="0944444444")
    assert caught.value.code == "ALREADY_INVITED"


def _link(sms_outbox) -> str:
    return re.search(r"(/portal/kich-hoat/\S+/)", sms_outbox[-1].text).group(1)


def test_new_account_link_is_single_use(owner, producer, sms_outbox):
    invitations.invite_member(owner, producer, phone="0977111222")
    link = _link(sms_outbox)
    first = Client()
    assert first.get(link).status_code == 200
    response = first.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    user = get_user_model().objects.get(username="+84977111222")
    assert user.check_password(NEW_PASSWORD)

    reused = Client().post(
        link, {"new_password1": "Khac-9-2025-x", "new_password2": "Khac-9-2025-x"}
    )
    assert reused.status_code == 410
    assert "đã hết hạn hoặc đã được dùng" in reused.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_new_account_link_expires(owner, producer, sms_outbox):
    invitations.invite_member(owner, producer, phone="0977111222")
    link = _link(sms_outbox)
    SetPasswordLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = Client().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 410
    assert "đã hết hạn hoặc đã được dùng" in response.content.decode()
    assert not get_user_model().objects.get(username="+84977111222").has_usable_password()


def test_link_expires_after_72_hours_and_is_stored_hashed(owner, producer, sms_outbox):
    invitation = invitations.invite_member(owner, producer, phone="0977111222")
    stored = SetPasswordLink.objects.get(user=invitation.user)
    token = invitation.link_path.rstrip("/").rsplit("/", 1)[-1]
    assert token not in stored.token_hash and len(token) >= 40
    lifetime = stored.expires_at - stored.created_at
    assert datetime.timedelta(hours=71, minutes=59) < lifetime <= datetime.timedelta(hours=72)


def test_weak_password_keeps_the_link(owner, producer, sms_outbox):
    invitations.invite_member(owner, producer, phone="0977111222")
    link = _link(sms_outbox)
    response = Client().post(link, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert SetPasswordLink.objects.get().used_at is None


def test_the_link_dies_once_the_account_has_a_password(owner, producer, sms_outbox):
    """A link for an account that has since set a password by any way opens nothing."""
    invitation = invitations.invite_member(owner, producer, phone="0977111222")
    link = _link(sms_outbox)
    invitation.user.set_password(NEW_PASSWORD)
    invitation.user.save()
    assert Client().get(link).status_code == 410
