"""The PKCS#12 upload: bad files, wrong passwords and expired certificates are refused with a
clear error and change nothing; a good one is kept sealed and never shown back."""

import pytest
from cryptography.hazmat.primitives import serialization

from marketplace.errors import DomainError
from marketplace.invoices import certificates, profiles
from marketplace.invoices.errors import InvoiceError
from marketplace.invoices.models import InvoiceProfile
from tests.marketplace.checkout.buying import three_producers
from tests.marketplace.invoices.helpers import PASSWORD, certificate, p12, pem, staff_user


def refused(data: bytes, password: str = PASSWORD) -> DomainError:
    with pytest.raises(DomainError) as caught:
        certificates.load_pkcs12(data, password)
    return caught.value


def test_a_file_that_is_not_pkcs12_is_named_as_such():
    key, cert = certificate()
    error = refused(b"%PDF-1.7 a scanned certificate")
    assert (error.code, error.field) == (InvoiceError.NOT_PKCS12, "certificate")
    error = refused(pem(cert).encode())
    assert error.code == InvoiceError.NOT_PKCS12 and "PEM" in error.message
    der = cert.public_bytes(serialization.Encoding.DER)  # a DER certificate: a SEQUENCE too
    assert refused(der).code == InvoiceError.NOT_PKCS12
    assert refused(b"").code == InvoiceError.NOT_PKCS12


def test_a_wrong_password_is_told_apart_from_a_wrong_file():
    error = refused(p12(), "sai-mat-khau")
    assert (error.code, error.field) == (InvoiceError.CERTIFICATE_WRONG_PASSWORD, "password")
    assert refused(p12(), "").code == InvoiceError.CERTIFICATE_WRONG_PASSWORD


def test_an_expired_or_future_certificate_is_refused():
    error = refused(p12(starts_in_days=-400, days=365))
    assert error.code == InvoiceError.CERTIFICATE_EXPIRED and "hết hạn" in error.message
    assert refused(p12(starts_in_days=10)).code == InvoiceError.CERTIFICATE_NOT_YET_VALID


def test_a_huge_file_is_refused_before_parsing():
    error = refused(b"0" * (certificates.MAX_FILE_BYTES + 1))
    assert error.code == InvoiceError.CERTIFICATE_TOO_LARGE


def test_a_good_file_opens_and_round_trips_sealed():
    signing = certificates.load_pkcs12(p12(), PASSWORD)
    assert signing.subject == "HTX Thử Nghiệm"
    sealed = certificates.seal(signing)
    assert b"PRIVATE KEY" not in sealed and b"CERTIFICATE" not in sealed
    opened = certificates.unseal(sealed)
    assert opened.certificate == signing.certificate
    assert opened.key.private_numbers() == signing.key.private_numbers()


def test_a_key_sealed_under_another_secret_asks_for_a_new_upload(settings):
    sealed = certificates.seal(certificates.load_pkcs12(p12(), PASSWORD))
    settings.INVOICE_CERTIFICATE_KEY = "rotated"
    with pytest.raises(DomainError) as caught:
        certificates.unseal(sealed)
    assert caught.value.code == InvoiceError.CERTIFICATE_MISSING


@pytest.mark.django_db
def test_a_refused_upload_keeps_the_certificate_there_was():
    producer = three_producers()[0].producer
    staff = staff_user()
    profiles.upload_certificate(staff, producer, p12(), PASSWORD)
    before = InvoiceProfile.objects.get(producer=producer)
    for data, password in [
        (b"junk", PASSWORD),
        (p12(), "sai"),
        (p12(starts_in_days=-400), PASSWORD),
    ]:
        with pytest.raises(DomainError):
            profiles.upload_certificate(staff, producer, data, password)
    after = InvoiceProfile.objects.get(producer=producer)
    assert bytes(after.sealed_key) == bytes(before.sealed_key)
    assert after.certificate_serial == before.certificate_serial
