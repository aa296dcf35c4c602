"""Trace evidence is private: pages link a checked view, which hands out a short-lived link.

Who may open a piece of evidence: anyone, when it is on a lot's public trace page (the product
has a GTIN, so the QR code resolves there); otherwise only the lot's producer and platform staff.
Everyone else gets the 404 of a missing file, and never a link.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.urls import reverse

from marketplace.catalog.models import Product
from marketplace.storage import signed_url
from producers.models import MemberRole, Membership, Producer
from tests.s3 import fetch
from tests.traceability.conftest import SAMPLE_GTIN, VN, event_data, png_bytes
from traceability.events import record_event
from traceability.evidence import Evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(sample_batch):
    event = record_event(
        sample_batch,
        event_data(
            datetime.datetime(2026, 11, 20, 9, tzinfo=VN),
            biz_step="inspecting",
            action="OBSERVE",
            attachments=[Evidence("phieu-kiem-nghiem.png", png_bytes())],
        ),
    )
    return event.attachments.get()


def _user(name, producer=None, **flags):
    user = get_user_model().objects.create_user(username=name, password="x", **flags)
    if producer is not None:
        Membership.objects.create(user=user, producer=producer, role=MemberRole.OWNER)
    return user


@pytest.fixture
def people():
    return {
        "anonymous": None,
        "shopper": _user("+84944444444"),
        "other producer": _user("+84933333333", Producer.objects.get(code="AG0003")),
        "owner": _user("+84912345678", Producer.objects.get(code="AG0001")),
        "staff": _user("+84900000000", is_staff=True),
    }


def _open(client, user, attachment):
    if user is not None:
        client.force_login(user)
    else:
        client.logout()
    return client.get(reverse("traceability:evidence", args=[attachment.pk]))


def _fetch(client, location):
    """Follow the signed link: through the app on local disk, over HTTP to an S3 server."""
    return fetch(client, location)[:2]


def test_public_lot_evidence_opens_for_anyone_through_a_signed_link(client, people, evidence):
    for who, user in people.items():
        response = _open(client, user, evidence)
        assert response.status_code == 302, who
        assert response["Cache-Control"] == "private, no-store"
        location = response["Location"]
        assert location.startswith("/media-private/") or "X-Amz-Signature=" in location, who
        status, body = _fetch(client, location)
        assert (status, body) == (200, png_bytes()), who


def test_hidden_lot_evidence_only_for_its_producer_and_staff(client, people, evidence):
    # Without a GTIN no QR code resolves to the lot: its trace page is not public.
    Product.objects.filter(gtin=SAMPLE_GTIN).update(gtin="")
    answers = {who: _open(client, user, evidence) for who, user in people.items()}
    assert {who: r.status_code for who, r in answers.items()} == {
        "anonymous": 404,
        "shopper": 404,
        "other producer": 404,
        "owner": 302,
        "staff": 302,
    }
    for who in ("anonymous", "shopper", "other producer"):
        assert "Location" not in answers[who], who  # no link, not even an expired one
    assert _fetch(client, answers["owner"]["Location"]) == (200, png_bytes())


def test_unknown_evidence_is_404(client, people):
    client.force_login(people["staff"])
    assert client.get(reverse("traceability:evidence", args=[987654])).status_code == 404


def test_trace_page_links_the_view_not_the_file(client, sample_batch, evidence):
    page = client.get(f"/01/0{SAMPLE_GTIN}/10/{sample_batch.lot}").content.decode()
    assert reverse("traceability:evidence", args=[evidence.pk]) in page
    assert evidence.file.name not in page
    assert evidence.file.name.endswith(".png")  # stored under its type: opens as a picture


def test_evidence_is_not_under_the_public_media(client, evidence):
    assert client.get(f"/media/{evidence.file.name}").status_code == 404
    # Nor in the public bucket, nor by the private object's own URL without a signature.
    assert fetch(client, default_storage.url(evidence.file.name))[0] in (403, 404)
    signed = signed_url(evidence.file.name)
    if not signed.startswith("/"):
        assert fetch(client, signed.split("?", 1)[0])[0] == 403


def test_a_signed_evidence_link_serves_the_picture_as_a_picture(client, people, evidence):
    location = _open(client, people["owner"], evidence)["Location"]
    status, body, headers = fetch(client, location)
    assert (status, body) == (200, png_bytes())
    assert headers["Content-Type"] == "image/png"
    assert "no-store" in headers["Cache-Control"]  # a link that expires is never cached
