"""Test certificates made on the spot (self-signed, throw-away keys: none is ever committed) and
an invoicing producer with a delivered sub-order."""

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from marketplace.checkout.models import OrderStatus
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.invoices import profiles
from marketplace.payments.models import PaymentMethod
from tests.marketplace.checkout.buying import checkout_for, three_producers

PASSWORD = "mat-khau-thu"
SHIP = Fulfilment(carrier="Viettel Post", tracking_number="VTP-0001")
_KEYS = {}


def _key(kind: str):
    # One key per kind per test run: RSA generation is the slow part.
    if kind not in _KEYS:
        _KEYS[kind] = (
            ec.generate_private_key(ec.SECP256R1())
            if kind == "ec"
            else rsa.generate_private_key(public_exponent=65537, key_size=2048)
        )
    return _KEYS[kind]


def certificate(name="HTX Thử Nghiệm", days=365, starts_in_days=-1, kind="rsa"):
    key = _key(kind)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + datetime.timedelta(days=starts_in_days))
        .not_valid_after(now + datetime.timedelta(days=starts_in_days + days))
        .sign(key, hashes.SHA256())
    )
    return key, cert


def p12(password=PASSWORD, **kwargs) -> bytes:
    key, cert = certificate(**kwargs)
    return pkcs12.serialize_key_and_certificates(
        b"test", key, cert, None, serialization.BestAvailableEncryption(password.encode())
    )


def pem(cert) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def staff_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(
        username="invoice-staff", defaults={"is_staff": True}
    )
    return user


def invoicing_producer(product=None, template="1", symbol="C26TAA", vat_rate="8%"):
    """The first sample product's producer, issuing invoices with a fresh certificate."""
    product = product or three_producers()[0]
    producer = product.producer
    if not producer.tax_code:
        producer.tax_code = "1801234567"
        producer.save(update_fields=["tax_code"])
    staff = staff_user()
    profiles.save_settings(
        staff,
        producer,
        issues_invoices=True,
        template=template,
        symbol=symbol,
        vat_rate=vat_rate,
    )
    profiles.upload_certificate(staff, producer, p12(), PASSWORD)
    return product


def delivered_sub(product, quantity=2, method=PaymentMethod.COD):
    order = complete_checkout(checkout_for([product], quantity=quantity).pk, method)
    sub = order.sub_orders.get()
    ship_to(sub, OrderStatus.DELIVERED)
    return sub


def ship_to(sub, last):
    """Move the sub-order on from where it stands through `last` (confirmed, shipped, delivered)."""
    steps = [OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED]
    sub.refresh_from_db()
    start = steps.index(sub.status) + 1 if sub.status in steps else 0
    for status in steps[start : steps.index(last) + 1]:
        set_sub_order_status(sub.pk, status, SHIP)
