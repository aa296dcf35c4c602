"""What the platform takes from a sale: the rate tables (data with dates of effect, so a change
in law or in the platform's terms is a new row, never new code), the charges computed per order
line at delivery, and the carrier's COD remittances.

Imported by models.py so Django registers them; this module imports no app of ours above
settlements (orders and producers are named by string).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.taxonomy.producer_kinds import ProducerKind

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class SaleType(models.TextChoices):
    """The lines of the withholding table of Decree 117/2025/NĐ-CP (Article 5)."""

    GOODS = "goods", _("Phân phối, cung cấp hàng hóa")
    SERVICES = "services", _("Dịch vụ")
    TRANSPORT = "transport", _("Vận tải, dịch vụ có gắn với hàng hóa")
    OTHER = "other", _("Hoạt động kinh doanh khác")


class RatePeriod(models.Model):
    """A rate in force from `valid_from` to `valid_to` (both days included; open-ended when
    `valid_to` is empty). Two rows of one scope may not overlap."""

    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("đến hết ngày"), null=True, blank=True)
    note = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        abstract = True

    def scope(self) -> Q:
        raise NotImplementedError

    def clean(self):
        super().clean()
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError(
                {"valid_to": _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")}, code="invalid"
            )
        overlapping = type(self).objects.filter(self.scope()).exclude(pk=self.pk)
        overlapping = overlapping.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
        )
        if self.valid_to:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        clash = overlapping.order_by("valid_from").first()
        if clash is not None:
            raise ValidationError(
                _("Trùng thời gian áp dụng với mức %(rate)s (từ %(start)s đến %(end)s).")
                % {
                    "rate": clash,
                    "start": clash.valid_from.strftime("%d/%m/%Y"),
                    "end": clash.valid_to.strftime("%d/%m/%Y") if clash.valid_to else "nay",
                },
                code="overlap",
            )


class CommissionRate(RatePeriod):
    """The platform's commission on a line: a producer's own rate wins over its OCOP group's."""

    group = models.ForeignKey(
        "taxonomy.OcopGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhóm sản phẩm OCOP"),
    )
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chủ thể"),
    )
    percent = models.DecimalField(
        _("tỷ lệ (%)"), max_digits=6, decimal_places=3, validators=PERCENT
    )

    class Meta:
        ordering = ["producer", "group", "valid_from"]
        verbose_name = _("mức hoa hồng")
        verbose_name_plural = _("mức hoa hồng")
        indexes = [models.Index(fields=["group", "valid_from"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(group__isnull=True) ^ Q(producer__isnull=True),
                name="commission_rate_group_or_producer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.producer or self.group}: {self.percent}%"

    def scope(self) -> Q:
        return Q(group_id=self.group_id, producer_id=self.producer_id)


class WithholdingRate(RatePeriod):
    """VAT and PIT the platform withholds for a kind of seller on a type of sale. A seller kind
    with no row in force is not withheld (firms and cooperatives declare their own tax)."""

    seller_kind = models.CharField(_("loại người bán"), max_length=20, choices=ProducerKind.choices)
    sale_type = models.CharField(_("loại hoạt động"), max_length=10, choices=SaleType.choices)
    vat_percent = models.DecimalField(
        _("thuế GTGT (%)"), max_digits=6, decimal_places=3, validators=PERCENT
    )
    pit_percent = models.DecimalField(
        _("thuế TNCN (%)"), max_digits=6, decimal_places=3, validators=PERCENT
    )

    class Meta:
        ordering = ["seller_kind", "sale_type", "valid_from"]
        verbose_name = _("mức thuế khấu trừ")
        verbose_name_plural = _("mức thuế khấu trừ")
        indexes = [models.Index(fields=["seller_kind", "sale_type", "valid_from"])]

    def __str__(self) -> str:
        return (
            f"{self.get_seller_kind_display()}, {self.get_sale_type_display()}: "
            f"GTGT {self.vat_percent}%, TNCN {self.pit_percent}%"
        )

    def scope(self) -> Q:
        return Q(seller_kind=self.seller_kind, sale_type=self.sale_type)


class LineCharge(models.Model):
    """Commission and tax of one order line for one ledger event: the delivery (positive), or a
    return (negative, the same kinds reversed). The ledger entries hold the sums; this row is
    the per-line breakdown statements and the tax list show."""

    key = models.CharField(max_length=120)  # the event: "sale:<sub-order>" or "return:<id>"
    line = models.ForeignKey("checkout.OrderLine", on_delete=models.PROTECT, related_name="+")
    sub_order = models.ForeignKey("checkout.SubOrder", on_delete=models.PROTECT, related_name="+")
    producer = models.ForeignKey("producers.Producer", on_delete=models.PROTECT, related_name="+")
    on = models.DateField()  # the day whose rates applied (delivery or return, Vietnam time)
    quantity = models.IntegerField()  # negative on a return
    base = models.BigIntegerField()  # đồng: the line's goods value (shipping excluded)
    commission_percent = models.DecimalField(max_digits=6, decimal_places=3)
    commission = models.BigIntegerField()
    seller_kind = models.CharField(max_length=20, choices=ProducerKind.choices)
    sale_type = models.CharField(max_length=10, choices=SaleType.choices)
    vat_percent = models.DecimalField(max_digits=6, decimal_places=3)
    vat = models.BigIntegerField()
    pit_percent = models.DecimalField(max_digits=6, decimal_places=3)
    pit = models.BigIntegerField()

    class Meta:
        ordering = ["sub_order_id", "line_id", "id"]
        verbose_name = _("phí theo dòng hàng")
        verbose_name_plural = _("phí theo dòng hàng")
        indexes = [
            models.Index(fields=["producer", "on"]),
            models.Index(fields=["on"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["key", "line"], name="linecharge_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.line_id}"


class CodRemittance(models.Model):
    """Cash the carrier collected on delivery, paid into the platform's bank account."""

    carrier = models.CharField(_("đơn vị vận chuyển"), max_length=60)
    remitted_on = models.DateField(_("ngày chuyển"))
    bank_reference = models.CharField(_("mã giao dịch ngân hàng"), max_length=60, unique=True)
    total = models.BigIntegerField(_("tổng tiền"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-remitted_on", "-id"]
        verbose_name = _("đối soát COD")
        verbose_name_plural = _("đối soát COD")

    def __str__(self) -> str:
        return f"{self.carrier} {self.bank_reference}"


class CodRemittanceItem(models.Model):
    remittance = models.ForeignKey(CodRemittance, on_delete=models.PROTECT, related_name="items")
    # One remittance per sub-order: a second listing of it is refused, never posted twice.
    sub_order = models.OneToOneField(
        "checkout.SubOrder", on_delete=models.PROTECT, related_name="cod_remittance"
    )
    tracking_number = models.CharField(max_length=40)
    amount = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        verbose_name = _("đơn trong đối soát COD")
        verbose_name_plural = _("đơn trong đối soát COD")

    def __str__(self) -> str:
        return self.tracking_number
