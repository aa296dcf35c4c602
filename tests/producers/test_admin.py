"""The staff admin for producers and certificates: every page loads, lists stay N+1-free."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from producers.models import Membership, OcopCertificate, Producer

pytestmark = pytest.mark.django_db

# Session, user, count(s), one page of rows, filter choices: independent of the rows shown.
CHANGELIST_MAX_QUERIES = 10


@pytest.mark.parametrize(
    "model",
    [Producer, OcopCertificate],
    ids=lambda model: model._meta.model_name,
)
def test_changelist_loads_without_n_plus_one(admin_client, django_assert_max_num_queries, model):
    url = reverse(f"admin:producers_{model._meta.model_name}_changelist")
    admin_client.get(url)  # warm the session and content-type caches
    with django_assert_max_num_queries(CHANGELIST_MAX_QUERIES):
        response = admin_client.get(url)
    assert response.status_code == 200
    rows = response.context["cl"].result_list
    assert len(rows) == min(100, model.objects.count())


def test_producer_change_page_shows_memberships_and_certificates(admin_client, django_user_model):
    producer = Producer.objects.filter(certificates__isnull=False).first()
    owner = django_user_model.objects.create_user("chu-htx", password="x")
    Membership.objects.create(user=owner, producer=producer, role="owner")
    response = admin_client.get(reverse("admin:producers_producer_change", args=[producer.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert producer.name in html
    assert "chu-htx" in html
    assert producer.certificates.first().number in html


def test_certificate_change_page_loads(admin_client):
    certificate = OcopCertificate.objects.first()
    url = reverse("admin:producers_ocopcertificate_change", args=[certificate.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert certificate.number in response.content.decode()


def test_producer_search_and_filters(admin_client):
    url = reverse("admin:producers_producer_changelist")
    producer = Producer.objects.order_by("code").first()
    found = admin_client.get(url, {"q": producer.code}).context["cl"].result_list
    assert producer in list(found)
    kind = producer.kind
    by_kind = admin_client.get(url, {"kind__exact": kind}).context["cl"]
    assert by_kind.result_count == Producer.objects.filter(kind=kind).count()


def test_certificate_valid_today_column_and_filter(admin_client):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    # Pin one certificate on each side of today, whatever day the suite runs.
    ends_today, ended_yesterday = OcopCertificate.objects.order_by("number")[:2]
    OcopCertificate.objects.filter(pk=ends_today.pk).update(issued_on=today, expires_on=today)
    OcopCertificate.objects.filter(pk=ended_yesterday.pk).update(
        issued_on=today - 10 * day, expires_on=today - day
    )
    url = reverse("admin:producers_ocopcertificate_changelist")
    valid = admin_client.get(url, {"valid_today": "yes"}).context["cl"]
    expired = admin_client.get(url, {"valid_today": "no"}).context["cl"]

    expected = OcopCertificate.objects.filter(issued_on__lte=today, expires_on__gte=today)
    assert valid.result_count == expected.count()
    assert expired.result_count == OcopCertificate.objects.count() - expected.count()
    assert ends_today in valid.queryset and ended_yesterday in expired.queryset
    column = valid.model_admin.valid_today
    assert column(OcopCertificate.objects.get(pk=ends_today.pk)) is True
    assert column(OcopCertificate.objects.get(pk=ended_yesterday.pk)) is False


def test_certificate_filter_by_stars(admin_client):
    url = reverse("admin:producers_ocopcertificate_changelist")
    cl = admin_client.get(url, {"stars": 4}).context["cl"]
    assert cl.result_count == OcopCertificate.objects.filter(stars=4).count() > 0


def test_admin_is_read_only(admin_client):
    producer = Producer.objects.first()
    response = admin_client.get(reverse("admin:producers_producer_add"))
    assert response.status_code == 403
    url = reverse("admin:producers_producer_change", args=[producer.pk])
    response = admin_client.post(url, {"name": "Đổi tên"})
    assert response.status_code == 403
    producer.refresh_from_db()
    assert producer.name != "Đổi tên"


def test_admin_refuses_anonymous(client):
    response = client.get(reverse("admin:producers_producer_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
