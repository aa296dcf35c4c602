"""Producer domain: creating and updating producers and their OCOP certificates."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext

from marketplace import access
from marketplace.access import Permission
from marketplace.addresses.models import Ward
from marketplace.catalog.services import get_product_set
from marketplace.errors import DomainError
from marketplace.models_util import assign_changed, full_clean_or_raise, unique_slug
from marketplace.text import nfc, slugify_vi
from producers.errors import ProducerError
from producers.models import OcopCertificate, Producer, ProducerKind


@dataclass
class ProducerData:
    code: str
    name: str
    kind: str
    ward_code: str
    street_address: str = ""
    phone: str = ""
    tax_code: str = ""
    gs1_company_prefix: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass
class CertificateData:
    number: str
    producer: Producer
    product_name: str
    product_set_code: str
    stars: int
    issued_on: datetime.date
    expires_on: datetime.date
    decision: str = ""


def get_ward(code: str) -> Ward:
    try:
        return Ward.objects.select_related("province").get(code=code.strip())
    except Ward.DoesNotExist:
        raise DomainError(
            ProducerError.UNKNOWN_WARD,
            gettext("Mã xã/phường '%(code)s' không tồn tại.") % {"code": code},
            "ward_code",
        )


@transaction.atomic
def upsert_producer(data: ProducerData) -> tuple[Producer, bool]:
    """Create or update a producer by its code; returns (producer, changed)."""
    if data.kind not in ProducerKind.values:
        raise DomainError(
            ProducerError.INVALID_KIND,
            gettext("Loại chủ thể '%(kind)s' không hợp lệ (%(kinds)s).")
            % {"kind": data.kind, "kinds": ", ".join(ProducerKind.values)},
            "kind",
        )
    ward = get_ward(data.ward_code)
    code = data.code.strip().upper()
    producer = Producer.objects.filter(code=code).first() or Producer(code=code)
    name = nfc(data.name)
    changed = assign_changed(
        producer,
        name=name,
        kind=data.kind,
        ward_id=ward.code,
        street_address=nfc(data.street_address),
        phone=data.phone.strip(),
        tax_code=data.tax_code.strip(),
        gs1_company_prefix=data.gs1_company_prefix.strip(),
        latitude=data.latitude,
        longitude=data.longitude,
        slug=unique_slug(Producer, slugify_vi(name), code, producer.pk),
    )
    if producer.pk and not changed:
        return producer, False
    full_clean_or_raise(producer)
    producer.save()
    return producer, True


@transaction.atomic
def upsert_certificate(data: CertificateData) -> tuple[OcopCertificate, bool]:
    if data.expires_on < data.issued_on:
        raise DomainError(
            ProducerError.INVALID_DATES,
            gettext("Ngày hết hạn phải sau ngày cấp giấy chứng nhận."),
            "expires_on",
        )
    if not 3 <= data.stars <= 5:
        raise DomainError(
            ProducerError.INVALID_STARS,
            gettext("Số sao OCOP phải từ 3 đến 5 (nhận %(stars)s).") % {"stars": data.stars},
            "stars",
        )
    number = nfc(data.number)
    certificate = OcopCertificate.objects.filter(number=number).first()
    if certificate and certificate.producer_id != data.producer.pk:
        raise DomainError(
            ProducerError.CERTIFICATE_OWNED_ELSEWHERE,
            gettext("Giấy chứng nhận %(number)s đã thuộc chủ thể khác.") % {"number": number},
            "certificate_no",
        )
    certificate = certificate or OcopCertificate(number=number)
    changed = assign_changed(
        certificate,
        producer_id=data.producer.pk,
        product_name=nfc(data.product_name),
        product_set_id=get_product_set(data.product_set_code).code,
        stars=data.stars,
        decision=nfc(data.decision) or certificate.decision,
        issued_on=data.issued_on,
        expires_on=data.expires_on,
    )
    if certificate.pk and not changed:
        return certificate, False
    full_clean_or_raise(certificate)
    certificate.save()
    return certificate, True


@transaction.atomic
def update_tax_identity(user, producer: Producer, *, tax_code: str, national_id: str) -> Producer:
    """The owner records how the tax office knows the producer: its tax code, or the household
    head's citizen ID (the monthly tax-withheld list names one of them)."""
    access.require(user, Permission.OWN_PRODUCER, producer)
    producer = Producer.objects.select_for_update().get(pk=producer.pk)
    producer.tax_code = "".join(nfc(tax_code).split())
    producer.national_id = "".join(nfc(national_id).split())
    full_clean_or_raise(producer, only=["tax_code", "national_id"])
    producer.save(update_fields=["tax_code", "national_id", "updated_at"])
    return producer
