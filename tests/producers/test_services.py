"""Producer services: upserts are idempotent, bad input is refused with a code and nothing saved."""

import datetime
import unicodedata
from decimal import Decimal

import pytest

from marketplace.errors import DomainError
from producers.models import OcopCertificate, Producer
from producers.services import (
    CertificateData,
    ProducerData,
    upsert_certificate,
    upsert_producer,
)

pytestmark = pytest.mark.django_db


def producer_data(**overrides) -> ProducerData:
    values = {
        "code": "TEST01",
        "name": "HTX Thử nghiệm Tri Tôn",
        "kind": "hop_tac_xa",
        "ward_code": "30316",
        "phone": "0911000111",
        "latitude": Decimal("10.4"),
        "longitude": Decimal("105.0"),
    }
    return ProducerData(**{**values, **overrides})


def certificate_data(producer: Producer, **overrides) -> CertificateData:
    values = {
        "number": "999/2026/OCOP-AG",
        "producer": producer,
        "product_name": "Đường thốt nốt",
        "product_set_code": "1.4",
        "stars": 4,
        "issued_on": datetime.date(2026, 1, 1),
        "expires_on": datetime.date(2028, 12, 31),
    }
    return CertificateData(**{**values, **overrides})


def test_upsert_producer_creates_then_changes_nothing():
    producer, changed = upsert_producer(producer_data(code=" test01 "))
    assert changed
    assert producer.code == "TEST01"
    assert producer.slug == "htx-thu-nghiem-tri-ton"
    stamp = producer.updated_at

    again, changed = upsert_producer(producer_data())
    assert (again.pk, changed) == (producer.pk, False)
    again.refresh_from_db()
    assert again.updated_at == stamp


def test_upsert_producer_stores_nfc_text():
    name = unicodedata.normalize("NFD", "  HTX   Thử nghiệm ")
    producer, _ = upsert_producer(producer_data(name=name))
    assert producer.name == "HTX Thử nghiệm"


def test_same_name_gets_a_distinct_slug():
    first, _ = upsert_producer(producer_data(code="TEST01"))
    second, _ = upsert_producer(producer_data(code="TEST02"))
    assert first.slug == "htx-thu-nghiem-tri-ton"
    assert second.slug == "htx-thu-nghiem-tri-ton-test02"


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"ward_code": "99999"}, "UNKNOWN_WARD", "ward_code"),
        ({"kind": "cong_ty"}, "INVALID_KIND", "kind"),
        ({"tax_code": "12345"}, "INVALID", "tax_code"),
        ({"gs1_company_prefix": "89X"}, "INVALID", "gs1_company_prefix"),
        ({"code": "ag 01"}, "INVALID", "code"),
    ],
)
def test_bad_producer_is_refused_and_not_saved(overrides, code, field):
    before = Producer.objects.count()
    with pytest.raises(DomainError) as error:
        upsert_producer(producer_data(**overrides))
    assert (error.value.code, error.value.field) == (code, field)
    assert Producer.objects.count() == before


def test_bad_update_leaves_the_producer_as_it_was():
    producer, _ = upsert_producer(producer_data())
    with pytest.raises(DomainError):
        upsert_producer(producer_data(name="Tên mới", ward_code="00000"))
    producer.refresh_from_db()
    assert producer.name == "HTX Thử nghiệm Tri Tôn"


def test_upsert_certificate_is_idempotent():
    producer, _ = upsert_producer(producer_data())
    certificate, changed = upsert_certificate(certificate_data(producer))
    assert changed and certificate.is_valid_on(datetime.date(2026, 11, 27))
    _, changed = upsert_certificate(certificate_data(producer))
    assert not changed


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"stars": 2}, "INVALID_STARS", "stars"),
        ({"stars": 6}, "INVALID_STARS", "stars"),
        ({"expires_on": datetime.date(2025, 12, 31)}, "INVALID_DATES", "expires_on"),
        ({"product_set_code": "9.9"}, "UNKNOWN_PRODUCT_SET", "ocop_set"),
    ],
)
def test_bad_certificate_is_refused_and_not_saved(overrides, code, field):
    producer, _ = upsert_producer(producer_data())
    with pytest.raises(DomainError) as error:
        upsert_certificate(certificate_data(producer, **overrides))
    assert (error.value.code, error.value.field) == (code, field)
    assert not OcopCertificate.objects.filter(number="999/2026/OCOP-AG").exists()


def test_certificate_of_another_producer_is_refused():
    certificate = OcopCertificate.objects.select_related("producer").first()
    intruder, _ = upsert_producer(producer_data())
    with pytest.raises(DomainError) as error:
        upsert_certificate(certificate_data(intruder, number=certificate.number))
    assert (error.value.code, error.value.field) == (
        "CERTIFICATE_OWNED_ELSEWHERE",
        "certificate_no",
    )
    certificate.refresh_from_db()
    assert certificate.producer.code != "TEST01"
