"""Issue 10 item 4: an owner of several producers manages each of them (the switcher, in the
session); every page shows only the chosen one; a tampered choice is a 404 that leaks nothing."""

import pytest

from marketplace.catalog.models import Product
from producers.models import MemberRole, Membership, MembershipRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(owner, other_producer):
    Membership.objects.create(user=owner, producer=other_producer, role=MemberRole.OWNER)
    return owner


def _choose(client, code):
    return client.post("/portal/chu-the/", {"producer": code, "next": "/portal/thanh-vien/"})


def test_members_page_follows_the_chosen_producer(client, both, producer, other_producer):
    """Regression: the members page always managed owned[0]."""
    client.force_login(both)
    first = client.get("/portal/thanh-vien/").content.decode()
    assert producer.name in first  # the first by name is the default
    assert _choose(client, other_producer.code)["Location"] == "/portal/thanh-vien/"
    page = client.get("/portal/thanh-vien/").content.decode()
    assert f"Thành viên · {other_producer.name}" in page
    client.post("/portal/thanh-vien/", {"phone": "0966 123 456"})
    assert Membership.objects.get(user__username="+84966123456").producer == other_producer
    # Remembered across requests (the session), until changed again.
    assert (
        f"Thành viên · {other_producer.name}" in client.get("/portal/thanh-vien/").content.decode()
    )


def test_every_page_is_scoped_to_the_chosen_producer(
    client, both, producer, other_producer, product, other_product
):
    client.force_login(both)
    _choose(client, producer.code)
    listing = client.get("/portal/san-pham/").content.decode()
    assert product.sku in listing and other_product.sku not in listing
    assert client.get(f"/portal/san-pham/{other_product.pk}/").status_code == 404
    _choose(client, other_producer.code)
    listing = client.get("/portal/san-pham/").content.decode()
    assert other_product.sku in listing and product.sku not in listing
    assert client.get(f"/portal/san-pham/{product.pk}/").status_code == 404
    assert client.get(f"/portal/san-pham/{other_product.pk}/").status_code == 200


def test_switcher_appears_only_for_several_producers(client, owner, both):
    client.force_login(owner)
    page = client.get("/portal/").content.decode()
    assert 'name="producer"' in page and "Đang quản lý" in page


def test_single_producer_owner_sees_no_switcher(client, owner):
    client.force_login(owner)
    assert "Đang quản lý" not in client.get("/portal/").content.decode()


@pytest.mark.parametrize("code", ["AG0002", "NOPE", "", "AG0001' OR 1=1"])
def test_tampered_choice_is_404_and_not_stored(client, both, producer, code):
    client.force_login(both)
    _choose(client, producer.code)
    response = _choose(client, code)
    assert response.status_code == 404
    body = response.content.decode()
    other = Product.objects.filter(producer__code="AG0002").first()
    assert other is None or other.sku not in body
    assert client.session["portal_producer"] == producer.code


def test_choice_of_a_membership_that_ended_falls_back(client, both, producer, other_producer):
    client.force_login(both)
    _choose(client, other_producer.code)
    Membership.objects.filter(user=both, producer=other_producer).delete()
    page = client.get("/portal/thanh-vien/").content.decode()
    assert f"Thành viên · {producer.name}" in page


def test_a_second_producer_comes_only_through_an_accepted_request(client, owner, other_producer):
    from producers import invitations

    invitations.create_producer_owner(other_producer.code, phone="0912345678")
    assert not Membership.objects.filter(user=owner, producer=other_producer).exists()
    request = MembershipRequest.objects.get(user=owner)
    client.force_login(owner)
    assert other_producer.name in client.get("/portal/loi-moi/").content.decode()
    client.post(f"/portal/loi-moi/{request.pk}/", {"action": "accept"})
    assert Membership.objects.get(user=owner, producer=other_producer).role == MemberRole.OWNER
    assert client.session["portal_producer"] == other_producer.code
