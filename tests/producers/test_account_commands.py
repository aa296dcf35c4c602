"""Issue 10 item 2 (contract): create_producer_owner and create_office_user."""

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client

from marketplace.access import OFFICE_GROUP, is_office
from producers.models import MemberRole, Membership, MembershipRequest, SetPasswordLink

pytestmark = pytest.mark.django_db

PASSWORD = "Gao-Nang-Hoa-9-2025"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_producer_owner_prints_a_single_use_72h_path(sms_outbox):
    out, _err = run("create_producer_owner", "ag0002", "--phone", "0905 111 222")
    path = out.strip()
    assert re.fullmatch(r"/portal/kich-hoat/[\w-]+/", path), out
    user = get_user_model().objects.get(username="+84905111222")
    assert Membership.objects.get(user=user).producer.code == "AG0002"
    assert Membership.objects.get(user=user).role == MemberRole.OWNER
    link = SetPasswordLink.objects.get(user=user)
    assert link.expires_at - link.created_at == pytest.approx(
        datetime.timedelta(hours=72), abs=datetime.timedelta(seconds=5)
    )
    assert [sms.phone for sms in sms_outbox] == ["+84905111222"]  # the owner gets it too

    browser = Client()
    assert browser.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code
    assert browser.get("/portal/").status_code == 200  # signed in, the producer's owner
    assert Client().get(path).status_code == 410  # single use


def test_create_producer_owner_for_an_existing_account_prints_no_link(django_user_model):
    user = django_user_model.objects.create_user("+84905111222", password=PASSWORD)
    out, err = run("create_producer_owner", "AG0002", "--phone", "0905111222")
    assert "/portal/kich-hoat/" not in out + err and "dat-mat-khau" not in out + err
    assert "/portal/loi-moi/" in out
    assert not SetPasswordLink.objects.exists()
    request = MembershipRequest.objects.get(user=user)
    assert (request.producer.code, request.role) == ("AG0002", MemberRole.OWNER)
    user.refresh_from_db()
    assert user.check_password(PASSWORD) and not user.memberships.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["NOPE", "--phone", "0905111222"], "Không có chủ thể mã"),
        (["AG0002", "--phone", "12345"], "Số điện thoại không hợp lệ"),
    ],
)
def test_create_producer_owner_bad_input(args, message):
    users = get_user_model().objects.count()
    with pytest.raises(CommandError, match=message):
        run("create_producer_owner", *args)
    assert get_user_model().objects.count() == users


def test_create_producer_owner_refuses_staff(django_user_model):
    django_user_model.objects.create_user("+84905111222", password=PASSWORD, is_staff=True)
    with pytest.raises(CommandError, match="Tài khoản quản trị"):
        run("create_producer_owner", "AG0002", "--phone", "0905111222")
    assert not MembershipRequest.objects.exists() and not SetPasswordLink.objects.exists()


def test_office_group_comes_from_a_migration_with_the_office_permission():
    group = Group.objects.get(name=OFFICE_GROUP)
    assert group.permissions.filter(codename="use_office").exists()


def test_create_office_user_prints_a_link_to_an_office_account():
    out, _err = run("create_office_user", "--phone", "0906 222 333", "--email", "Can.Bo@sct.vn")
    path = out.strip()
    assert path.startswith("/portal/kich-hoat/")
    user = get_user_model().objects.get(username="+84906222333")
    assert user.email == "can.bo@sct.vn" and is_office(user)
    assert not user.memberships.exists() and not user.is_staff
    browser = Client()
    browser.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert browser.get("/office/").status_code == 200


def test_create_office_user_for_an_existing_account_sends_a_request(django_user_model):
    user = django_user_model.objects.create_user("+84906222333", password=PASSWORD)
    out, err = run("create_office_user", "--phone", "0906222333")
    assert "/portal/kich-hoat/" not in out + err
    request = MembershipRequest.objects.get(user=user)
    assert request.producer is None and not is_office(user)
    browser = Client()
    browser.force_login(user)
    browser.post(f"/portal/loi-moi/{request.pk}/", {"action": "accept"})
    user = get_user_model().objects.get(pk=user.pk)
    assert is_office(user)
