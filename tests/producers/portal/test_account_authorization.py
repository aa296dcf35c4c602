"""Authorization matrix for the account pages: the producer switcher, the invitation inbox and
its answers, for anonymous / shopper / other producer / owner / staff member / platform staff /
trade office. Denials change nothing and show nothing of the other producer."""

import pytest
from django.contrib.auth import get_user_model

from marketplace.access import office_group
from producers import invitations
from producers.models import Membership, MembershipRequest
from tests.producers.portal.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "shopper", "stranger", "owner", "staff", "platform staff", "office"]


@pytest.fixture
def actors(shopper, other_owner, staff_member, owner, django_user_model):
    platform = django_user_model.objects.create_user("+84907000002", password=PASSWORD)
    platform.is_staff = True
    platform.save()
    office = django_user_model.objects.create_user("+84906000001", password=PASSWORD)
    office.groups.add(office_group())
    return {
        "anonymous": None,
        "shopper": shopper,
        "stranger": other_owner,
        "owner": owner,
        "staff": staff_member,
        "platform staff": platform,
        "office": office,
    }


def _state():
    return (
        sorted(Membership.objects.values_list("user_id", "producer_id", "role")),
        sorted(MembershipRequest.objects.values_list("pk", "status")),
        sorted(get_user_model().objects.values_list("pk", "password")),
    )


@pytest.mark.parametrize("role", ROLES)
def test_switcher(client, actors, producer, role):
    if actors[role]:
        client.force_login(actors[role])
    before = _state()
    response = client.post("/portal/chu-the/", {"producer": producer.code, "next": "/portal/"})
    expected = {
        "anonymous": 302,
        "shopper": 403,
        "office": 403,
        "stranger": 404,
    }.get(role, 302)
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith("/portal/dang-nhap/")
    chosen = client.session.get("portal_producer")
    assert (chosen == producer.code) is (role in ("owner", "staff", "platform staff"))
    assert _state() == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["accept", "decline"])
def test_answering_a_request(client, actors, owner, producer, role, action):
    # The request is the shopper's (an existing account invited by the owner).
    invitations.invite_member(owner, producer, phone="0944444444")
    request = MembershipRequest.objects.get()
    if actors[role]:
        client.force_login(actors[role])
    before = _state()
    inbox = client.get("/portal/loi-moi/")
    response = client.post(f"/portal/loi-moi/{request.pk}/", {"action": action})
    if role == "anonymous":
        assert inbox.status_code == 302 and response.status_code == 302
        assert response["Location"].startswith("/portal/dang-nhap/")
    elif role == "shopper":
        assert producer.name in inbox.content.decode()
        assert response.status_code == 302
        request.refresh_from_db()
        assert request.status == ("accepted" if action == "accept" else "declined")
        joined = Membership.objects.filter(user=actors[role], producer=producer).exists()
        assert joined is (action == "accept")
        return
    else:
        assert inbox.status_code == 200
        assert f"/portal/loi-moi/{request.pk}/" not in inbox.content.decode()
        assert response.status_code == 404
        assert producer.name not in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("token", ["x", "A" * 43, "../../admin", "%00"])
def test_bogus_set_password_links_open_nothing(client, token):
    response = client.get(f"/portal/kich-hoat/{token}/")
    assert response.status_code in (404, 410)
    assert (
        "đã hết hạn hoặc đã được dùng" in response.content.decode() or response.status_code == 404
    )
