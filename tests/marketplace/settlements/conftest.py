"""Who is who for the staff pages of the money domain: each role a client, signed in."""

import pytest
from django.test import Client

from marketplace.access import office_group
from producers.models import MemberRole, Membership, Producer


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clients(django_user_model, db):
    """anonymous, shopper, owner (of AG0001), other_owner (AG0003), office, staff."""

    def signed_in(username, **flags):
        user = django_user_model.objects.create_user(username=username, password="x", **flags)
        client = Client()
        client.force_login(user)
        return user, client

    people = {"anonymous": Client()}
    _user, people["shopper"] = signed_in("+84944444444")
    for role, code, phone in (
        ("owner", "AG0001", "+84912345678"),
        ("other_owner", "AG0003", "+84933333333"),
    ):
        user, people[role] = signed_in(phone)
        Membership.objects.create(
            user=user, producer=Producer.objects.get(code=code), role=MemberRole.OWNER
        )
    user, people["office"] = signed_in("+84900000002")
    user.groups.add(office_group())
    _user, people["staff"] = signed_in("+84900000001", is_staff=True, is_superuser=True)
    return people


def refused(response) -> bool:
    """The admin sends whoever is not active staff to its sign-in page."""
    return response.status_code == 302 and "/admin/login/" in response["Location"]


# The clock the statement and payout tests set (statement_world).
from tests.marketplace.settlements.statement_world import clock  # noqa: E402, F401
