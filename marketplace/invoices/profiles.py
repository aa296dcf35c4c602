"""A producer's invoice settings and signing certificate: what the owner sets in the portal, and
whether the producer can issue an invoice right now (and if not, why)."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.access import Permission, require
from marketplace.errors import DomainError, ValidationFailed
from marketplace.invoices import certificates
from marketplace.invoices.errors import InvoiceError
from marketplace.invoices.models import InvoiceProfile, Template, VatRate

# Circular 78/2021, Art. 4: C (coded by the tax authority) or K (not), two year digits, the kind
# (T: registered with the tax authority, …), two of the 20 letters it allows.
SYMBOL = re.compile(r"^[CK]\d{2}[TDLMNBGH][ABCDEGHKLMNPQRSTUVXY]{2}$")


def profile_of(producer) -> InvoiceProfile:
    """The producer's settings (a blank, unsaved one before the owner first saves them)."""
    return InvoiceProfile.objects.filter(producer=producer).first() or InvoiceProfile(
        producer=producer
    )


def clean_symbol(value: str) -> str:
    symbol = "".join(value.split()).upper()
    if not SYMBOL.match(symbol):
        raise DomainError(
            InvoiceError.INVALID_SYMBOL,
            gettext(
                "Ký hiệu hóa đơn gồm 6 ký tự như C26TAA: C (có mã của cơ quan thuế) hoặc K "
                "(không mã), hai số cuối của năm, loại hóa đơn (T nếu đã đăng ký với cơ quan "
                "thuế), rồi hai chữ in hoa do bạn chọn (không dùng F, I, J, O, W, Z)."
            ),
            "symbol",
        )
    return symbol


def symbol_for_year(symbol: str, year: int) -> str:
    """The symbol's two year digits are those of the year an invoice is made (Circular 78):
    C26TAA set in 2026 is written C27TAA on an invoice of 2027."""
    return f"{symbol[0]}{year % 100:02d}{symbol[3:]}"


def require_tax_code(producer) -> None:
    if not producer.tax_code:
        raise DomainError(
            InvoiceError.TAX_CODE_REQUIRED,
            gettext(
                "Cần mã số thuế của %(name)s để lập hóa đơn điện tử: hãy bổ sung mã số thuế "
                "vào hồ sơ của cơ sở trước khi bật hóa đơn."
            )
            % {"name": producer.name},
            "tax_code",
        )


@transaction.atomic
def save_settings(
    user, producer, *, issues_invoices: bool, template: str, symbol: str, vat_rate: str
) -> InvoiceProfile:
    require(user, Permission.OWN_PRODUCER, producer)
    errors = []
    if template not in Template.values:
        errors.append(
            DomainError(
                InvoiceError.INVALID_TEMPLATE,
                gettext("Mẫu số hóa đơn là 1 (GTGT) hoặc 2 (bán hàng)."),
                "template",
            )
        )
    if vat_rate not in VatRate.values:
        errors.append(
            DomainError(
                InvoiceError.INVALID_VAT_RATE, gettext("Thuế suất không hợp lệ."), "vat_rate"
            )
        )
    cleaned = ""
    if symbol.strip() or issues_invoices:
        try:
            cleaned = clean_symbol(symbol)
        except DomainError as exc:
            errors.append(exc)
    if issues_invoices:
        try:
            require_tax_code(producer)
        except DomainError as exc:
            errors.append(exc)
    if errors:
        raise ValidationFailed(errors)
    profile = InvoiceProfile.objects.select_for_update().filter(producer=producer).first()
    profile = profile or InvoiceProfile(producer=producer)
    profile.issues_invoices = issues_invoices
    profile.template = template
    profile.symbol = cleaned
    profile.vat_rate = vat_rate
    profile.save()
    return profile


@transaction.atomic
def upload_certificate(user, producer, data: bytes, password: str) -> InvoiceProfile:
    """Check the PKCS#12 file (opens with the password, holds a key, valid today) and keep it
    sealed; the password itself is not kept."""
    require(user, Permission.OWN_PRODUCER, producer)
    signing = certificates.load_pkcs12(data, password)
    profile = InvoiceProfile.objects.select_for_update().filter(producer=producer).first()
    profile = profile or InvoiceProfile(producer=producer)
    profile.sealed_key = certificates.seal(signing)
    profile.certificate_subject = signing.subject[:300]
    profile.certificate_serial = signing.serial[:80]
    profile.certificate_not_before = signing.not_before
    profile.certificate_not_after = signing.not_after
    profile.certificate_uploaded_at = timezone.now()
    profile.save()
    return profile


def signing_certificate(profile: InvoiceProfile) -> certificates.SigningCertificate:
    """The certificate to sign with now, or why there is none."""
    if not profile.has_certificate:
        raise DomainError(
            InvoiceError.CERTIFICATE_MISSING,
            gettext("Chưa có chứng thư số để ký hóa đơn: chủ cơ sở tải tệp .p12 lên ở Cài đặt."),
            "certificate",
        )
    signing = certificates.unseal(profile.sealed_key)
    certificates.check_validity(signing)
    return signing


def problem(profile: InvoiceProfile) -> DomainError | None:
    """Why this producer cannot issue an invoice now (None: it can)."""
    if not profile.issues_invoices:
        return DomainError(
            InvoiceError.NOT_ENABLED,
            gettext("Cơ sở chưa bật lập hóa đơn điện tử."),
            "issues_invoices",
        )
    try:
        require_tax_code(profile.producer)
        clean_symbol(profile.symbol)
        signing_certificate(profile)
    except DomainError as exc:
        return exc
    return None
