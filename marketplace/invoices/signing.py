"""The seller's XMLDSig signature (signxml): enveloped, RSA/ECDSA-SHA256, one reference to
`DLHDon` by its Id, placed in `DSCKS/NBan` with the certificate chain in KeyInfo.

Signing is local CPU work (no network), so it runs inside the transaction that takes the number.
"""

import dataclasses
import datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import CanonicalizationMethod, DigestAlgorithm, SignatureMethod, XMLSigner, XMLVerifier
from signxml.exceptions import InvalidInput, InvalidSignature
from signxml.verifier import SignatureConfiguration

from marketplace.invoices.certificates import SigningCertificate
from marketplace.invoices.document import DATA_ID

DS = "http://www.w3.org/2000/09/xmldsig#"


def sign(root: etree._Element, signing: SigningCertificate) -> bytes:
    """The signed invoice (UTF-8 bytes with an XML declaration)."""
    slot = root.find("DSCKS/NBan")
    # signxml puts an enveloped signature where a placeholder Signature stands.
    etree.SubElement(slot, f"{{{DS}}}Signature", Id="placeholder", nsmap={"ds": DS})
    method = (
        SignatureMethod.ECDSA_SHA256
        if isinstance(signing.key, ec.EllipticCurvePrivateKey)
        else SignatureMethod.RSA_SHA256
    )
    signer = XMLSigner(
        signature_algorithm=method,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0,
    )
    signed = signer.sign(
        root, key=signing.key, cert=signing.pem_chain(), reference_uri=f"#{DATA_ID}"
    )
    signature = signed.find(f"DSCKS/NBan/{{{DS}}}Signature")
    signature.set("Id", "NBan-signature")
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


# Only what `sign` writes is accepted: no SHA-1, one reference.
EXPECTED = SignatureConfiguration(
    signature_methods=frozenset({SignatureMethod.RSA_SHA256, SignatureMethod.ECDSA_SHA256}),
    digest_algorithms=frozenset({DigestAlgorithm.SHA256}),
    expect_references=1,
)


class NotVerified(Exception):
    pass


def verify(xml: bytes, certificate_pem: str, at: datetime.datetime | None = None):
    """Check that `certificate_pem`'s key signed this invoice's DLHDon (as valid at `at`, the
    signing time: a certificate that expired since still proves an old invoice); returns the
    signed DLHDon element."""
    config = dataclasses.replace(EXPECTED, verification_time=at)
    try:
        result = XMLVerifier().verify(xml, x509_cert=certificate_pem, expect_config=config)
    except (InvalidSignature, InvalidInput) as exc:
        raise NotVerified(str(exc)) from exc
    if result.signed_xml is None or result.signed_xml.tag != "DLHDon":
        raise NotVerified("the signature does not cover DLHDon")
    return result.signed_xml


def embedded_certificate(xml: bytes) -> str | None:
    """The signing certificate the signature carries (PEM)."""
    text = etree.fromstring(xml).findtext(f".//{{{DS}}}X509Certificate")
    if not text:
        return None
    b64 = "".join(text.split())
    body = "\n".join(b64[i : i + 64] for i in range(0, len(b64), 64))
    return f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"


def verifies(xml: bytes, at: datetime.datetime | None = None) -> bool:
    """Whether the invoice is intact: its signature checks with the certificate it carries, as
    valid when it was signed."""
    certificate = embedded_certificate(xml)
    if certificate is None:
        return False
    try:
        verify(xml, certificate, at)
    except NotVerified:
        return False
    return True


def signer_name(xml: bytes) -> str:
    """The signing certificate's holder (its common name), as the pages and the PDF show it."""
    pem = embedded_certificate(xml)
    if pem is None:
        return ""
    subject = x509.load_pem_x509_certificate(pem.encode()).subject
    names = subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else subject.rfc4514_string()
