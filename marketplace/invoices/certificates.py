"""The seller's signing certificate: read from a PKCS#12 file (.p12/.pfx) with its password,
checked, and kept sealed at rest.

The password is used once, to open the file; what is stored is the key and certificate chain
sealed with Fernet (AES-128-CBC + HMAC-SHA256) under a key derived from
`INVOICE_CERTIFICATE_KEY` (default: from SECRET_KEY). Neither the file, its password nor the key
is ever shown back: the portal shows the holder, serial number and validity only.
"""

import base64
import datetime
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import Certificate, load_pem_x509_certificates
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.errors import DomainError
from marketplace.invoices.errors import InvoiceError

MAX_FILE_BYTES = 64 * 1024  # a key, its certificate and a CA chain fit in a few KB
# PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo { OID pkcs7-data | signedData … } }
_VERSION_3 = bytes.fromhex("020103")
_PKCS7_OIDS = (bytes.fromhex("06092a864886f70d010701"), bytes.fromhex("06092a864886f70d010702"))


@dataclass(frozen=True)
class SigningCertificate:
    key: object  # a cryptography private key (RSA or EC)
    certificate: Certificate
    chain: tuple[Certificate, ...] = ()

    @property
    def subject(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.certificate.subject.rfc4514_string()

    @property
    def serial(self) -> str:
        return format(self.certificate.serial_number, "X")

    @property
    def not_before(self) -> datetime.datetime:
        return self.certificate.not_valid_before_utc

    @property
    def not_after(self) -> datetime.datetime:
        return self.certificate.not_valid_after_utc

    def pem_chain(self) -> list[str]:
        """The certificate then its CA chain, PEM (what signxml embeds in KeyInfo)."""
        return [
            c.public_bytes(serialization.Encoding.PEM).decode()
            for c in (self.certificate, *self.chain)
        ]


def _der_body(data: bytes) -> bytes | None:
    """The contents of the outer DER SEQUENCE, or None when `data` does not start with one."""
    if len(data) < 2 or data[0] != 0x30:
        return None
    first = data[1]
    if first < 0x80:
        start, length = 2, first
    else:
        count = first & 0x7F
        if count == 0 or count > 4 or len(data) < 2 + count:
            return None
        start, length = 2 + count, int.from_bytes(data[2 : 2 + count], "big")
    body = data[start : start + length]
    return body if len(body) == length else None


def looks_like_pkcs12(data: bytes) -> bool:
    """True when the bytes have a PKCS#12 PFX's shape (so a failure to open it is the
    password's fault): version 3, then a PKCS#7 content."""
    body = _der_body(data)
    if body is None or not body.startswith(_VERSION_3):
        return False
    auth_safe = _der_body(body[len(_VERSION_3) :])
    return auth_safe is not None and auth_safe.startswith(_PKCS7_OIDS)


def load_pkcs12(data: bytes, password: str, now: datetime.datetime | None = None):
    """Open and check a PKCS#12 upload; every refusal is a DomainError on field `certificate`
    or `password`, in words the producer can act on."""
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(
            InvoiceError.CERTIFICATE_TOO_LARGE,
            gettext("Tệp chứng thư số quá lớn (tối đa %(kb)s KB): cần tệp .p12 hoặc .pfx.")
            % {"kb": MAX_FILE_BYTES // 1024},
            "certificate",
        )
    if not looks_like_pkcs12(data):
        pem = data.lstrip().startswith(b"-----BEGIN")
        raise DomainError(
            InvoiceError.NOT_PKCS12,
            gettext(
                "Tệp này là chứng thư dạng PEM/CER, không có khóa ký: hãy xuất chứng thư số "
                "kèm khóa bí mật thành tệp .p12 hoặc .pfx (PKCS#12)."
            )
            if pem
            else gettext(
                "Tệp này không phải chứng thư số PKCS#12: cần tệp .p12 hoặc .pfx do nhà "
                "cung cấp chữ ký số cấp."
            ),
            "certificate",
        )
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
    except ValueError:
        raise DomainError(
            InvoiceError.CERTIFICATE_WRONG_PASSWORD,
            gettext("Mật khẩu của tệp chứng thư số không đúng."),
            "password",
        )
    if key is None or certificate is None:
        raise DomainError(
            InvoiceError.CERTIFICATE_NO_KEY,
            gettext("Tệp PKCS#12 không chứa khóa bí mật và chứng thư đi kèm; không ký được."),
            "certificate",
        )
    signing = SigningCertificate(key, certificate, tuple(chain or ()))
    check_validity(signing, now)
    return signing


def check_validity(signing: SigningCertificate, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    if signing.not_after < now:
        raise DomainError(
            InvoiceError.CERTIFICATE_EXPIRED,
            gettext("Chứng thư số đã hết hạn ngày %(day)s: hãy gia hạn rồi tải tệp mới lên.")
            % {"day": timezone.localtime(signing.not_after).strftime("%d/%m/%Y")},
            "certificate",
        )
    if signing.not_before > now:
        raise DomainError(
            InvoiceError.CERTIFICATE_NOT_YET_VALID,
            gettext("Chứng thư số chỉ có hiệu lực từ ngày %(day)s.")
            % {"day": timezone.localtime(signing.not_before).strftime("%d/%m/%Y")},
            "certificate",
        )


def _fernet() -> Fernet:
    secret = (settings.INVOICE_CERTIFICATE_KEY or settings.SECRET_KEY).encode()
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"ocop-invoice-certificates"
    ).derive(secret)
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(signing: SigningCertificate) -> bytes:
    """The key (PKCS#8) and the certificates (PEM), encrypted for storage."""
    key = signing.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _fernet().encrypt(key + "".join(signing.pem_chain()).encode())


def unseal(sealed: bytes) -> SigningCertificate:
    try:
        pem = _fernet().decrypt(bytes(sealed))
    except InvalidToken:
        # The sealing key changed (INVOICE_CERTIFICATE_KEY or SECRET_KEY): upload it again.
        raise DomainError(
            InvoiceError.CERTIFICATE_MISSING,
            gettext("Không mở được chứng thư số đã lưu: hãy tải tệp .p12 lên lại."),
            "certificate",
        )
    end = pem.index(b"-----END PRIVATE KEY-----") + len(b"-----END PRIVATE KEY-----")
    key = serialization.load_pem_private_key(pem[:end], password=None)
    certificate, *chain = load_pem_x509_certificates(pem[end:])
    return SigningCertificate(key, certificate, tuple(chain))
