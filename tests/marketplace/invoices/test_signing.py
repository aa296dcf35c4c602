"""The seller's XMLDSig signature over DLHDon: it verifies with the certificate (signxml's
verifier) and fails after one byte of the signed data changes."""

import pytest
from lxml import etree

from marketplace.invoices import document, signing
from marketplace.invoices.certificates import SigningCertificate
from tests.marketplace.invoices.helpers import certificate, pem
from tests.marketplace.invoices.test_document import data

DS = "{http://www.w3.org/2000/09/xmldsig#}"


@pytest.fixture(params=["rsa", "ec"])
def signed(request):
    key, cert = certificate(kind=request.param)
    xml = signing.sign(document.build(data()), SigningCertificate(key, cert))
    return xml, cert


def test_the_signature_verifies_with_the_sellers_certificate(signed):
    xml, cert = signed
    covered = signing.verify(xml, pem(cert))
    assert covered.tag == "DLHDon"
    assert signing.verifies(xml)
    root = etree.fromstring(xml)
    signature = root.find(f"DSCKS/NBan/{DS}Signature")
    assert signature is not None  # enveloped, where the format puts the seller's
    assert signature.find(f"{DS}SignedInfo/{DS}Reference").get("URI") == "#DLHDon"


def test_one_changed_byte_of_the_data_breaks_it(signed):
    xml, cert = signed
    start = xml.index(b"<DLHDon")
    end = xml.index(b"</DLHDon>")
    # Every kind of change: a digit of the total, a letter of a name, the number.
    for old, new in [(b"345000", b"345001"), (b"Lan", b"Lam"), (b"<SHDon>7<", b"<SHDon>8<")]:
        at = xml.index(old, start, end)
        tampered = xml[:at] + new + xml[at + len(old) :]
        assert sum(a != b for a, b in zip(xml, tampered, strict=True)) == 1
        with pytest.raises(signing.NotVerified):
            signing.verify(tampered, pem(cert))
        assert not signing.verifies(tampered)


def test_another_certificate_does_not_verify_it(signed):
    xml, _ = signed
    _, other = certificate(name="Người khác", kind="ec" if b"rsa-sha256" in xml else "rsa")
    with pytest.raises(signing.NotVerified):
        signing.verify(xml, pem(other))


def test_a_signature_moved_off_dlhdon_does_not_count(signed):
    xml, cert = signed
    moved = xml.replace(b'URI="#DLHDon"', b'URI=""')
    with pytest.raises(signing.NotVerified):
        signing.verify(moved, pem(cert))
