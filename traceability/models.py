"""Lots, their serialised units, and the append-only, hash-chained event history of each lot."""

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.access import MemberScopedQuerySet
from marketplace.errors import DomainError
from marketplace.storage import private_storage_for_field
from traceability.errors import TraceError

# GS1 AI 10 / AI 21: up to 20 characters of GS1 "CSET 82" (Digital Link percent-encodes the
# punctuation) — except "/": web servers decode %2F before routing, so it could not resolve.
GS1_CSET82 = RegexValidator(
    r"^[A-Za-z0-9!\"%&'()*+,\-.:;<=>?_]{1,20}$",
    "Tối đa 20 ký tự: chữ không dấu, số và dấu GS1 (không dấu cách, không '/').",
)
NO_EDIT = "Sự kiện truy xuất không được sửa hay xóa; hãy ghi đính chính."


class BatchQuerySet(MemberScopedQuerySet):
    producer_path = "product__producer"  # lots a user may manage (marketplace.access)


class Batch(models.Model):
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="batches")
    lot = models.CharField(max_length=20, validators=[GS1_CSET82])
    packed_on = models.DateField()
    best_before = models.DateField(null=True, blank=True)
    units = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    serialised = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["product_id", "-packed_on", "lot"]
        verbose_name = "lô hàng"
        verbose_name_plural = "lô hàng"
        constraints = [
            models.UniqueConstraint(fields=["product", "lot"], name="batch_unique_lot"),
            models.CheckConstraint(condition=Q(units__gte=1), name="batch_units_positive"),
            models.CheckConstraint(
                condition=Q(best_before__isnull=True) | Q(best_before__gte=models.F("packed_on")),
                name="batch_best_before_after_packing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}/{self.lot}"


class Unit(models.Model):
    """One serialised item of a lot (GS1 AI 21). Serials are random, never sequential."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="unit_serials")
    serial = models.CharField(max_length=20, validators=[GS1_CSET82])
    # Set when a shop reports the unit sold; a later scan from another region is suspicious.
    sold_at = models.DateTimeField(null=True, blank=True)
    sold_region = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = "đơn vị có số sê-ri"
        verbose_name_plural = "đơn vị có số sê-ri"
        constraints = [
            models.UniqueConstraint(fields=["batch", "serial"], name="unit_unique_serial"),
        ]

    def __str__(self) -> str:
        return self.serial


class EventType(models.TextChoices):
    OBJECT = "ObjectEvent", "ObjectEvent"
    AGGREGATION = "AggregationEvent", "AggregationEvent"
    TRANSFORMATION = "TransformationEvent", "TransformationEvent"


class AppendOnlyQuerySet(models.QuerySet):
    """History is never rewritten: bulk updates and deletes are refused too."""

    def update(self, **kwargs):
        raise DomainError(TraceError.APPEND_ONLY, NO_EDIT)

    def delete(self):
        raise DomainError(TraceError.APPEND_ONLY, NO_EDIT)


class Event(models.Model):
    """One EPCIS event of a lot; `hash` (its CBV 2.0 event digest) covers the digest of the lot's
    previous event (`prev_hash`), so the events form a chain."""

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(help_text="Vị trí trong chuỗi của lô, từ 1.")
    # CBV 2.0 event hash ID of this record: ni:///sha-256;<hash>?ver=CBV2.0 (see chain.py).
    event_id = models.CharField(max_length=100, unique=True, editable=False)
    # The id the event had in the system it was imported from, so re-imports are no-ops.
    source_ref = models.CharField(max_length=100, blank=True)
    event_type = models.CharField(max_length=20, choices=EventType.choices)
    action = models.CharField(max_length=8, blank=True)
    biz_step = models.CharField(max_length=60)
    disposition = models.CharField(max_length=40, blank=True)
    event_time = models.DateTimeField()
    event_tz_offset = models.CharField(max_length=6, default="+07:00")
    record_time = models.DateTimeField()
    ward = models.ForeignKey(
        "addresses.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.CharField(max_length=200, blank=True)
    actor = models.CharField(max_length=200)
    actor_is_inspector = models.BooleanField(default=False)
    quantity = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    uom = models.CharField(max_length=3, blank=True)
    note = models.TextField(blank=True)
    # A correction is a new event (`corrects`) plus an error declaration (`declares_error_on`).
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    declares_error_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="error_declarations"
    )
    error_reason = models.CharField(max_length=20, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["batch_id", "seq"]
        verbose_name = "sự kiện truy xuất"
        verbose_name_plural = "sự kiện truy xuất"
        constraints = [
            models.UniqueConstraint(fields=["batch", "seq"], name="event_unique_seq"),
            models.UniqueConstraint(
                fields=["declares_error_on"],
                condition=Q(declares_error_on__isnull=False),
                name="event_one_error_declaration",
            ),
            models.UniqueConstraint(
                fields=["batch", "source_ref"],
                condition=~Q(source_ref=""),
                name="event_unique_source_ref",
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0),
                name="event_quantity_nonnegative",
            ),
        ]
        indexes = [models.Index(fields=["batch", "disposition"], name="event_batch_disposition")]

    def __str__(self) -> str:
        return f"{self.batch_id}#{self.seq} {self.biz_step}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise DomainError(TraceError.APPEND_ONLY, NO_EDIT)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DomainError(TraceError.APPEND_ONLY, NO_EDIT)

    @property
    def urn(self) -> str:
        return self.event_id


class Attachment(models.Model):
    """Evidence for an event (photo or PDF), fixed by its SHA-256 inside the event's hash."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="attachments")
    # Private: opened through traceability.evidence_views, which checks first, then signs a link.
    file = models.FileField(
        upload_to="trace/evidence/", max_length=255, storage=private_storage_for_field
    )
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "minh chứng"
        verbose_name_plural = "minh chứng"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise DomainError(TraceError.APPEND_ONLY, gettext("Minh chứng đã ghi không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise DomainError(TraceError.APPEND_ONLY, gettext("Minh chứng đã ghi không được xóa."))


class LegacyCheckpoint(models.Model):
    """A day's signed list of chain heads of the pre-CBV 2.0 chains (kept, never used to vouch)."""

    day = models.DateField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    payload = models.TextField(help_text="Canonical JSON that was signed.")
    signature = models.CharField(max_length=128, help_text="Ed25519 signature, base64url.")
    key_id = models.CharField(max_length=64)

    class Meta:
        ordering = ["-day"]
        verbose_name = "điểm neo cũ (trước CBV 2.0)"
        verbose_name_plural = "điểm neo cũ (trước CBV 2.0)"

    def __str__(self) -> str:
        return f"legacy checkpoint {self.day}"


class Checkpoint(models.Model):
    """A signed tree head: the Merkle root over the first `tree_size` leaves of the log.

    The columns repeat what `payload` (the exact signed bytes) says, for queries only: every
    verifier reads the payload, never the columns.
    """

    tree_size = models.PositiveBigIntegerField()
    root_hash = models.CharField(max_length=64)
    signed_at = models.DateTimeField()
    payload = models.TextField(help_text="The signed JSON, byte for byte.")
    signature = models.CharField(max_length=128, help_text="Ed25519 signature, base64url.")
    key_id = models.CharField(max_length=64)

    class Meta:
        ordering = ["tree_size", "signed_at"]
        verbose_name = "điểm neo chuỗi"
        verbose_name_plural = "điểm neo chuỗi"

    def __str__(self) -> str:
        return f"tree head {self.tree_size} @ {self.signed_at:%Y-%m-%d %H:%M}"


class TreeLeaf(models.Model):
    """One entry of the append-only log: a lot's chain head (its first `events` events) as
    anchored by `checkpoint`. A lot gains a new leaf each time its chain grew before a signing."""

    index = models.PositiveBigIntegerField(unique=True)
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.PROTECT, related_name="leaves")
    gtin = models.CharField(max_length=14)
    lot = models.CharField(max_length=20)
    events = models.PositiveIntegerField()
    head = models.CharField(max_length=64)

    class Meta:
        ordering = ["index"]
        verbose_name = "lá của cây neo"
        verbose_name_plural = "lá của cây neo"
        indexes = [models.Index(fields=["gtin", "lot", "index"], name="treeleaf_lot")]

    def __str__(self) -> str:
        return f"#{self.index} {self.gtin}/{self.lot} ({self.events})"


class Scan(models.Model):
    """One consumer scan. No personal data: time, coarse origin (region from the edge proxy),
    user agent, and a rounded location only when the consumer chose to share it."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="scans")
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="scans"
    )
    serial = models.CharField(max_length=40, blank=True, help_text="As scanned, even if forged.")
    genuine = models.BooleanField(default=True)
    scanned_at = models.DateTimeField()
    region = models.CharField(max_length=40, blank=True)
    user_agent = models.CharField(max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    longitude = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-scanned_at"]
        verbose_name = "lượt quét"
        verbose_name_plural = "lượt quét"
        indexes = [
            models.Index(fields=["unit", "scanned_at"], name="scan_unit_time"),
            models.Index(fields=["batch", "scanned_at"], name="scan_batch_time"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.serial} {self.scanned_at:%Y-%m-%d %H:%M}"


class FlagRule(models.TextChoices):
    SOLD_ELSEWHERE = "sold_elsewhere", _("Quét sau khi đã bán ở nơi khác")
    FAR_APART = "far_apart", _("Quét ở hai nơi xa nhau trong vài giờ")
    TOO_OFTEN = "too_often", _("Quét nhiều bất thường")
    OVER_UNITS = "over_units", _("Số lượt quét vượt số sản phẩm của lô")
    FORGED_SERIAL = "forged_serial", _("Số sê-ri không có thật")


class ScanFlag(models.Model):
    """A suspicion raised by the anomaly rules, once per lot, unit and rule."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="flags")
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    rule = models.CharField(max_length=20, choices=FlagRule.choices)
    detail = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "cảnh báo nghi ngờ"
        verbose_name_plural = "cảnh báo nghi ngờ"
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "unit", "rule"], name="flag_unique_per_unit_rule"
            ),
            models.UniqueConstraint(
                fields=["batch", "rule"],
                condition=Q(unit__isnull=True),
                name="flag_unique_per_batch_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.rule}"


class SuspectReport(models.Model):
    """A consumer's "I think this is fake" report, for the producer and the trade office."""

    gtin = models.CharField(max_length=14)
    lot = models.CharField(max_length=20)
    serial = models.CharField(max_length=20, blank=True)
    batch = models.ForeignKey(
        Batch, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    where_bought = models.CharField(max_length=200, blank=True)
    message = models.TextField(max_length=2000)
    contact = models.CharField(max_length=100, blank=True, help_text="Only if the consumer wants.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "báo nghi ngờ hàng giả"
        verbose_name_plural = "báo nghi ngờ hàng giả"

    def __str__(self) -> str:
        return f"{self.gtin}/{self.lot} {self.created_at:%Y-%m-%d}"


class CaptureJob(models.Model):
    """One `POST /epcis/capture` (EPCIS 2.0 REST): its outcome, kept for `GET /capture/{id}`.

    Documents are captured all-or-nothing while the request runs, so a job is finished when
    it is made; `errors` says why nothing was recorded."""

    capture_id = models.CharField(max_length=32, unique=True)
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.CASCADE, related_name="capture_jobs"
    )
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    success = models.BooleanField()
    events = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "lần nhận EPCIS"
        verbose_name_plural = "lần nhận EPCIS"

    def __str__(self) -> str:
        return self.capture_id
