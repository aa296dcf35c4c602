"""The provincial OCOP register, sightings on other platforms, links to our listings, snapshots."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegisterEntry(models.Model):
    """One row of the trade office's register: a certified OCOP product.

    Texts keep what the office typed (NFC); the *_key fields are folded copies for matching.
    Identity: the certificate number, else `natural_key` (product + producer + ward).
    """

    certificate_number = models.CharField(max_length=40, null=True, blank=True, unique=True)
    product_name = models.CharField(max_length=255)
    producer_name = models.CharField(max_length=255)
    ward_input = models.CharField(max_length=120, help_text="Xã/phường như trong sổ.")
    ward = models.ForeignKey("addresses.Ward", on_delete=models.PROTECT, related_name="+")
    product_set = models.ForeignKey(
        "taxonomy.ProductSet", on_delete=models.PROTECT, related_name="register_entries"
    )
    stars = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    decision = models.CharField(max_length=80, blank=True)
    issued_on = models.DateField()
    expires_on = models.DateField(help_text="Ngày cuối cùng còn hiệu lực.")
    name_key = models.CharField(max_length=255, db_index=True)
    producer_key = models.CharField(max_length=255, db_index=True)
    natural_key = models.CharField(max_length=600, db_index=True)
    # The marketplace producer with the same (folded) name, when there is one.
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="register_entries",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["issued_on", "id"]
        verbose_name = "dòng sổ OCOP"
        verbose_name_plural = "sổ OCOP của tỉnh"
        # Granted to the `trade_office` group (created by migration 0002): the office's pages.
        permissions = [("use_office", "Dùng các trang của Sở Công Thương")]
        indexes = [models.Index(fields=["issued_on", "expires_on"], name="register_validity")]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=3, stars__lte=5), name="register_stars_3_5"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("issued_on")),
                name="register_expires_after_issue",
            ),
            models.UniqueConstraint(
                fields=["natural_key"],
                condition=Q(certificate_number__isnull=True),
                name="register_natural_key_without_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_name} — {self.producer_name} ({self.certificate_number or '—'})"


class ExternalListing(models.Model):
    """A certified product seen on another e-commerce platform."""

    url = models.URLField(max_length=500, unique=True)
    platform = models.CharField(max_length=40)
    certificate_number = models.CharField(max_length=40, blank=True, db_index=True)
    product_name = models.CharField(max_length=255)
    producer_name = models.CharField(max_length=255)
    seen_on = models.DateField()
    # Set when the producer added the link in the portal (imported sightings have none).
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="shop_links",
    )
    # Null while no register row matches; re-linked after every register import.
    register_entry = models.ForeignKey(
        RegisterEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="external_listings",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["platform", "url"]
        verbose_name = "gian hàng trên sàn khác"
        verbose_name_plural = "gian hàng trên sàn khác"

    def __str__(self) -> str:
        return f"{self.product_name} @ {self.platform}"


class LinkMethod(models.TextChoices):
    CERTIFICATE = "certificate", _("Theo số chứng nhận")
    NAME = "name", _("Theo tên, chủ thể, xã/phường")


class LinkStatus(models.TextChoices):
    AUTO = "auto", _("Tự động")
    PENDING = "pending", _("Chờ xác nhận")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    REJECTED = "rejected", _("Đã bác bỏ")


# Links that make a register entry count as listed here.
ACCEPTED_LINK_STATUSES = (LinkStatus.AUTO, LinkStatus.CONFIRMED)


class ListingLink(models.Model):
    """A register entry ↔ a product on this marketplace; pending ones wait for staff review."""

    register_entry = models.ForeignKey(
        RegisterEntry, on_delete=models.CASCADE, related_name="listing_links"
    )
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="register_links"
    )
    method = models.CharField(max_length=12, choices=LinkMethod.choices)
    confidence = models.FloatField()
    status = models.CharField(max_length=10, choices=LinkStatus.choices)
    reviewed_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-confidence", "id"]
        verbose_name = "liên kết sổ ↔ sản phẩm"
        verbose_name_plural = "liên kết sổ ↔ sản phẩm"
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["register_entry", "product"], name="listing_link_unique"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0, confidence__lte=1), name="link_confidence_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.register_entry_id} ↔ {self.product_id} ({self.status})"


class CoverageSnapshot(models.Model):
    """The coverage figures of one month, frozen so the trend shows what was true then."""

    month = models.DateField(unique=True, help_text="Ngày đầu tháng.")
    as_of = models.DateField()
    certified = models.PositiveIntegerField()
    online = models.PositiveIntegerField()
    share = models.FloatField()
    breakdowns = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month"]
        verbose_name = "số liệu tháng"
        verbose_name_plural = "số liệu tháng"

    def __str__(self) -> str:
        return f"{self.month:%m/%Y}: {self.online}/{self.certified}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ nhập")
    RUNNING = "running", _("Đang nhập")
    DONE = "done", _("Đã xong")
    FAILED = "failed", _("Gặp lỗi")


class RegisterImport(models.Model):
    """One upload of the register, imported by a task (marketplace/coverage/register_jobs.py).

    The file is kept in the row until the import finished (a worker on another machine reads
    it from here), the progress is written as the rows are checked, and `status` becomes done
    in the same transaction as the entries: a task killed half-way leaves nothing written and
    runs again from the start.
    """

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    as_of = models.DateField(null=True, blank=True)
    skip_invalid = models.BooleanField(default=False)
    language = models.CharField(max_length=8, default="vi")
    status = models.CharField(max_length=10, choices=ImportStatus, default=ImportStatus.QUEUED)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    written = models.BooleanField(default=False)
    # What the page shows once done: the summary, the rows with errors, the other rows.
    summary = models.TextField(blank=True)
    errors = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "lần nhập sổ OCOP"
        verbose_name_plural = "các lần nhập sổ OCOP"

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return self.rows_checked * 100 // self.rows_total if self.rows_total else 0
