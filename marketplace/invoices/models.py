"""E-invoices (Decree 123/2020, Circular 78/2021): a seller's settings, its number counters and
the signed invoices themselves.

An invoice row keeps the signed XML exactly as signed: the PDF and every download are drawn from
it, so what a buyer sees is what the signature covers.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.access import MemberScopedQuerySet


class Template(models.TextChoices):
    """Ký hiệu mẫu số hóa đơn (KHMSHDon)."""

    VAT = "1", _("1 — Hóa đơn giá trị gia tăng")
    SALES = "2", _("2 — Hóa đơn bán hàng")


class VatRate(models.TextChoices):
    """Thuế suất (TSuat) as the tax authority's format writes it; prices include it."""

    KCT = "KCT", _("Không chịu thuế (KCT)")
    ZERO = "0%", "0%"
    FIVE = "5%", "5%"
    EIGHT = "8%", "8%"
    TEN = "10%", "10%"


class ProfileQuerySet(MemberScopedQuerySet):
    pass


class InvoiceProfile(models.Model):
    """Whether a producer issues e-invoices, with which template and symbol, and its signing
    certificate. The certificate's key is kept encrypted (invoices.certificates) and is never
    shown back; only its holder, serial and validity are."""

    producer = models.OneToOneField(
        "producers.Producer", on_delete=models.CASCADE, related_name="invoice_profile"
    )
    issues_invoices = models.BooleanField(default=False)
    template = models.CharField(max_length=1, choices=Template.choices, default=Template.VAT)
    # Ký hiệu hóa đơn, e.g. C26TAA: its two year digits follow the year each invoice is made.
    symbol = models.CharField(max_length=6, blank=True)
    vat_rate = models.CharField(max_length=3, choices=VatRate.choices, default=VatRate.EIGHT)
    sealed_key = models.BinaryField(null=True, blank=True, editable=False)
    certificate_subject = models.CharField(max_length=300, blank=True)
    certificate_serial = models.CharField(max_length=80, blank=True)
    certificate_not_before = models.DateTimeField(null=True, blank=True)
    certificate_not_after = models.DateTimeField(null=True, blank=True)
    certificate_uploaded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = "thiết lập hóa đơn"
        verbose_name_plural = "thiết lập hóa đơn"

    def __str__(self) -> str:
        return f"{self.producer_id}: {self.symbol or '—'}"

    @property
    def has_certificate(self) -> bool:
        return bool(self.sealed_key)


class InvoiceCounter(models.Model):
    """The last number given per seller, template and symbol. Issuing locks this row
    (SELECT … FOR UPDATE) in the transaction that writes the invoice, so numbers have no gap and
    no duplicate however many deliveries run at once."""

    producer = models.ForeignKey("producers.Producer", on_delete=models.CASCADE, related_name="+")
    template = models.CharField(max_length=1, choices=Template.choices)
    symbol = models.CharField(max_length=6)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "template", "symbol"], name="invoice_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.producer_id} {self.template}{self.symbol} → {self.last_number}"


class InvoiceKind(models.TextChoices):
    ORIGINAL = "original", _("Hóa đơn gốc")
    REPLACEMENT = "replacement", _("Hóa đơn thay thế")


class InvoiceStatus(models.TextChoices):
    ISSUED = "issued", _("Đã phát hành")
    REPLACED = "replaced", _("Đã bị thay thế")
    CANCELLED = "cancelled", _("Đã hủy")


class InvoiceQuerySet(MemberScopedQuerySet):
    def live(self):
        """The invoices that stand (neither replaced nor cancelled)."""
        return self.filter(status=InvoiceStatus.ISSUED)


class Invoice(models.Model):
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.PROTECT, related_name="invoices"
    )
    sub_order = models.ForeignKey(
        "checkout.SubOrder", on_delete=models.PROTECT, related_name="invoices"
    )
    kind = models.CharField(max_length=12, choices=InvoiceKind.choices)
    status = models.CharField(
        max_length=10, choices=InvoiceStatus.choices, default=InvoiceStatus.ISSUED
    )
    template = models.CharField(max_length=1, choices=Template.choices)
    symbol = models.CharField(max_length=6)
    number = models.PositiveIntegerField()
    issued_on = models.DateField()  # NLap, in Asia/Ho_Chi_Minh
    issued_at = models.DateTimeField(auto_now_add=True)
    total = models.PositiveBigIntegerField()  # TgTTTBSo, đồng
    signed_xml = models.BinaryField(editable=False)
    # Mã tra cứu: random (60 bits), the buyer's key to the public lookup page.
    lookup_code = models.CharField(max_length=12, unique=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    reason = models.CharField(max_length=500, blank=True)  # why it replaces another
    cancel_reason = models.CharField(max_length=500, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "hóa đơn điện tử"
        verbose_name_plural = "hóa đơn điện tử"
        indexes = [
            models.Index(fields=["producer", "issued_on"], name="invoice_producer_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "template", "symbol", "number"], name="invoice_number_unique"
            ),
            # At most one standing invoice per sub-order: a second needs the first replaced.
            models.UniqueConstraint(
                fields=["sub_order"],
                condition=Q(status="issued"),
                name="invoice_one_live_per_sub_order",
            ),
            models.CheckConstraint(
                condition=Q(kind="original", replaces__isnull=True)
                | Q(kind="replacement", replaces__isnull=False),
                name="invoice_replacement_names_original",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template}{self.symbol} {self.number}"

    @property
    def grouped_code(self) -> str:
        """ABCD-EFGH-JKLM: how the lookup code is printed and read aloud."""
        code = self.lookup_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
