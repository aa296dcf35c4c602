"""Producer rows: certificate validity on its boundary days, and the member scoping."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from producers.models import Membership, OcopCertificate, Producer

ISSUED = datetime.date(2025, 11, 27)
LAST_VALID_DAY = datetime.date(2028, 11, 26)


@pytest.mark.parametrize(
    ("day", "valid"),
    [
        (ISSUED - datetime.timedelta(days=1), False),
        (ISSUED, True),
        (datetime.date(2027, 1, 1), True),
        (LAST_VALID_DAY, True),
        (LAST_VALID_DAY + datetime.timedelta(days=1), False),
    ],
    ids=["day-before-issue", "issue-day", "middle", "expiry-day", "day-after-expiry"],
)
def test_certificate_is_valid_from_issue_through_expiry_day(day, valid):
    certificate = OcopCertificate(issued_on=ISSUED, expires_on=LAST_VALID_DAY)
    assert certificate.is_valid_on(day) is valid


def test_one_day_certificate_is_valid_on_that_day_only():
    certificate = OcopCertificate(issued_on=ISSUED, expires_on=ISSUED)
    assert certificate.is_valid_on(ISSUED)
    assert not certificate.is_valid_on(ISSUED + datetime.timedelta(days=1))


@pytest.mark.django_db
def test_database_refuses_expiry_before_issue():
    existing = OcopCertificate.objects.first()
    existing.expires_on = existing.issued_on - datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        existing.save()


@pytest.mark.django_db
def test_database_refuses_stars_outside_3_to_5():
    existing = OcopCertificate.objects.first()
    existing.stars = 2
    with pytest.raises(IntegrityError), transaction.atomic():
        existing.save()


@pytest.mark.django_db
def test_for_member_scopes_producers(django_user_model):
    producer, other = Producer.objects.order_by("code")[:2]
    member = django_user_model.objects.create_user("thanh-vien")
    Membership.objects.create(user=member, producer=producer)
    stranger = django_user_model.objects.create_user("nguoi-la")
    staff = django_user_model.objects.create_user("can-bo", is_staff=True)

    assert list(Producer.objects.for_member(member)) == [producer]
    assert not Producer.objects.for_member(stranger).exists()
    assert not Producer.objects.for_member(AnonymousUser()).exists()
    assert Producer.objects.for_member(staff).count() == Producer.objects.count()
    assert other not in Producer.objects.for_member(member)
