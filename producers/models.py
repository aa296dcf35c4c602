"""Who sells: producers, their members, and their OCOP certificates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.access import OWNER_ROLE, MemberScopedQuerySet
from marketplace.catalog.models import CertificateValidity
from marketplace.taxonomy.producer_kinds import ProducerKind


def validate_national_id(value: str) -> None:
    """A căn cước number: 12 digits, the first three a province code (001–096)."""
    if not (len(value) == 12 and value.isdigit() and 1 <= int(value[:3]) <= 96):
        raise ValidationError(
            _("Số căn cước gồm 12 chữ số, ba chữ số đầu là mã tỉnh (001–096)."), code="invalid"
        )


class ProducerQuerySet(MemberScopedQuerySet):
    producer_path = ""  # the producers a user may manage (marketplace.access)


class Producer(models.Model):
    code = models.CharField(
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9-]+$", "Mã chủ thể chỉ gồm chữ in hoa, số, gạch.")],
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=20, choices=ProducerKind.choices)
    ward = models.ForeignKey("addresses.Ward", on_delete=models.PROTECT, related_name="producers")
    street_address = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    tax_code = models.CharField(
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^\d{10}(-\d{3})?$", _("Mã số thuế gồm 10 hoặc 13 chữ số."))],
    )
    # The household head's or individual's citizen ID (căn cước, CCCD): what the monthly
    # tax-withheld list names for a seller without a tax code (Decree 117/2025/NĐ-CP).
    national_id = models.CharField(
        max_length=12,
        blank=True,
        validators=[validate_national_id],
        help_text=_("Số căn cước (CCCD) 12 chữ số của chủ hộ hoặc cá nhân kinh doanh."),
    )
    gs1_company_prefix = models.CharField(
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d{6,12}$", "Mã doanh nghiệp GS1 gồm 6–12 chữ số.")],
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProducerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "chủ thể"
        verbose_name_plural = "chủ thể"
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="producer_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="producer_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    OWNER = OWNER_ROLE, _("Chủ")
    STAFF = "staff", _("Nhân viên")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "thành viên"
        verbose_name_plural = "thành viên"
        constraints = [
            models.UniqueConstraint(fields=["user", "producer"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.producer} ({self.role})"


class OcopCertificate(CertificateValidity, models.Model):
    number = models.CharField(max_length=40, unique=True)
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="certificates")
    product_name = models.CharField(max_length=200)
    product_set = models.ForeignKey(
        "taxonomy.ProductSet", on_delete=models.PROTECT, related_name="certificates"
    )
    stars = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    decision = models.CharField(max_length=60, blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField(help_text="Ngày cuối cùng còn hiệu lực.")

    class Meta:
        ordering = ["number"]
        verbose_name = "giấy chứng nhận OCOP"
        verbose_name_plural = "giấy chứng nhận OCOP"
        indexes = [models.Index(fields=["stars"]), models.Index(fields=["expires_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(stars__gte=3, stars__lte=5), name="cert_stars_3_5"),
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("issued_on")), name="cert_expires_after_issue"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.stars}★)"


# --- Account lifecycle: invitations to existing accounts, one-time links and codes ----------


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    ACCEPTED = "accepted", _("Đã nhận lời")
    DECLINED = "declined", _("Đã từ chối")


class MembershipRequest(models.Model):
    """An invitation to an account that already exists: it joins only when its holder accepts
    while signed in, so inviting someone never hands the inviter any way into their account.

    No producer means the trade office (group `trade_office`).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership_requests"
    )
    producer = models.ForeignKey(
        Producer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="membership_requests",
    )
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.STAFF)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "lời mời tham gia"
        verbose_name_plural = "lời mời tham gia"
        indexes = [models.Index(fields=["user", "status"], name="membership_request_inbox")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "producer"],
                condition=Q(status="pending"),
                name="membership_request_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.producer or 'Sở Công Thương'} ({self.status})"


class SetPasswordLink(models.Model):
    """A single-use, expiring link that lets a new account's holder set its first password.

    Only a SHA-256 of the random token is stored: the database alone opens nothing.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="set_password_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "đường dẫn đặt mật khẩu"
        verbose_name_plural = "đường dẫn đặt mật khẩu"

    def __str__(self) -> str:
        return f"{self.user} (hết hạn {self.expires_at:%Y-%m-%d %H:%M})"


class OneTimeCode(models.Model):
    """A code sent by SMS: stored as a keyed hash, expiring, single use, and dead after a few
    wrong tries (each try counts, however it arrives). producers.onetime issues and checks it."""

    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class PhoneCode(OneTimeCode):
    """A one-time code to reset a password by phone."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_codes"
    )

    class Meta:
        verbose_name = "mã xác nhận qua SMS"
        verbose_name_plural = "mã xác nhận qua SMS"
        indexes = [models.Index(fields=["user", "created_at"], name="phone_code_latest")]

    def __str__(self) -> str:
        return f"{self.user} ({self.attempts} lần thử)"
