"""Issue 13 item 1: the office's call list of registered producers with no account, and
inviting the first owner from it by phone (the owner gets the link by SMS, the office never)."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from marketplace.access import office_group
from producers.models import MemberRole, Membership, MembershipRequest, Producer

pytestmark = pytest.mark.django_db

PASSWORD = "Mam-thai-Chau-Doc-2025"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def office(sample_register):
    user = User.objects.create_user("+84906000001", password=PASSWORD)
    user.groups.add(office_group())
    client = Client()
    client.force_login(user)
    return client


def _actors():
    shopper = User.objects.create_user("+84944444444", password=PASSWORD)
    owner = User.objects.create_user("+84933333333", password=PASSWORD)
    Membership.objects.create(
        user=owner, producer=Producer.objects.get(code="AG0003"), role=MemberRole.OWNER
    )
    staff = User.objects.create_user("+84907000002", password=PASSWORD, is_staff=True)
    return {"shopper": shopper, "producer owner": owner, "staff": staff}


def test_registered_producer_without_account_is_on_the_call_list(office):
    page = office.get("/office/chu-the/").content.decode()
    producer = Producer.objects.get(code="AG0001")
    assert producer.name in page
    assert 'action="/office/chu-the/AG0001/moi/"' in page


def test_office_invites_the_first_owner_who_sets_a_password_from_the_sms(office, sms_outbox):
    response = office.post("/office/chu-the/AG0001/moi/", {"AG0001-phone": "0905 112 233"})
    assert response.status_code == 302
    page = office.get(response["Location"]).content.decode()
    assert "đã tạo tài khoản và gửi đường dẫn" in page
    [sms] = sms_outbox
    link = re.search(r"(/portal/kich-hoat/\S+/)", sms.text).group(1)
    assert link not in page and "kich-hoat" not in page  # never shown to the office
    assert "Đã mời: chờ chủ đặt mật khẩu." in page  # still to call until the owner is in

    owner = Client()
    owner.post(link, {"new_password1": "Gao-Nang-Hoa-9", "new_password2": "Gao-Nang-Hoa-9"})
    assert owner.get("/portal/").status_code == 200
    membership = Membership.objects.get(user__username="+84905112233")
    assert (membership.producer.code, membership.role) == ("AG0001", MemberRole.OWNER)
    assert (
        'action="/office/chu-the/AG0001/moi/"'
        not in office.get("/office/chu-the/").content.decode()
    )


def test_invite_of_an_existing_account_is_a_request(office, sms_outbox):
    user = User.objects.create_user("+84944444444", password=PASSWORD)
    office.post("/office/chu-the/AG0001/moi/", {"AG0001-phone": "0944444444"})
    assert MembershipRequest.objects.get(user=user).producer.code == "AG0001"
    assert all("kich-hoat" not in sms.text for sms in sms_outbox)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "phone, message",
    [("12345", "Số điện thoại không hợp lệ"), ("0907000002", "Tài khoản quản trị")],
)
def test_bad_invites_say_why_and_change_nothing(office, phone, message):
    User.objects.create_user("+84907000002", password=PASSWORD, is_staff=True)
    users, memberships = User.objects.count(), Membership.objects.count()
    response = office.post("/office/chu-the/AG0001/moi/", {"AG0001-phone": phone}, follow=True)
    assert message in response.content.decode()
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)


def test_producer_with_an_owner_is_not_on_the_list_and_cannot_be_invited(office):
    owner = User.objects.create_user("+84933333333", password=PASSWORD)
    Membership.objects.create(
        user=owner, producer=Producer.objects.get(code="AG0003"), role=MemberRole.OWNER
    )
    assert (
        'action="/office/chu-the/AG0003/moi/"'
        not in office.get("/office/chu-the/").content.decode()
    )
    response = office.post("/office/chu-the/AG0003/moi/", {"AG0003-phone": "0905112233"})
    assert response.status_code == 404
    assert not User.objects.filter(username="+84905112233").exists()


@pytest.mark.parametrize("who", ["anonymous", "shopper", "producer owner", "staff", "office"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_authorization(office, who, method, sms_outbox):
    actors = _actors()
    client = office if who == "office" else Client()
    if who in actors:
        client.force_login(actors[who])
    if method == "get":
        response = client.get("/office/chu-the/")
    else:
        response = client.post("/office/chu-the/AG0001/moi/", {"AG0001-phone": "0905112233"})
    created = User.objects.filter(username="+84905112233").exists()
    if who == "anonymous":
        assert response.status_code == 302 and "/office/dang-nhap/" in response["Location"]
    elif who in ("shopper", "producer owner"):
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if method == "get" else 302)
    assert created is (method == "post" and who in ("staff", "office"))
