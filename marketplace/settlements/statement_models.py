"""Settlement statements and payouts: what the platform owes each producer for a period, and the
bank transfers that pay it.

Imported by models.py so Django registers them. A statement is written once, whole, when it is
issued and never changes (save() refuses; on PostgreSQL a trigger refuses UPDATE and DELETE):
whether it was paid is read from its payout, never written onto it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError
from marketplace.settlements.errors import SettlementError


class Statement(models.Model):
    number = models.CharField(_("số bảng đối soát"), max_length=60, unique=True)
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.PROTECT, related_name="+", verbose_name=_("chủ thể")
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến hết ngày"))
    issued_at = models.DateTimeField(_("phát hành lúc"), auto_now_add=True)
    # đồng. Sales are what deliveries credited the producer (goods + shipping); the deductions
    # are positive numbers; net = sales − returns − commission − VAT − PIT.
    goods = models.BigIntegerField(_("tiền hàng đã giao"))
    shipping = models.BigIntegerField(_("phí vận chuyển"))
    returns = models.BigIntegerField(_("hàng trả lại"))
    commission = models.BigIntegerField(_("hoa hồng"))
    vat = models.BigIntegerField(_("thuế GTGT khấu trừ"))
    pit = models.BigIntegerField(_("thuế TNCN khấu trừ"))
    net = models.BigIntegerField(_("thực nhận"))
    # What the carrier collected in cash for these deliveries (held for the platform until
    # remitted): shown so the producer sees why the cash never reached them.
    cod_collected = models.BigIntegerField(_("COD đơn vị vận chuyển thu hộ"))

    class Meta:
        ordering = ["-period_end", "producer_id"]
        verbose_name = _("bảng đối soát")
        verbose_name_plural = _("bảng đối soát")
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "period_start"], name="statement_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise immutable(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise immutable(self)


def immutable(statement) -> DomainError:
    return DomainError(
        SettlementError.STATEMENT_IMMUTABLE,
        gettext("Bảng đối soát %(number)s đã phát hành: không sửa được; điều chỉnh nằm ở kỳ sau.")
        % {"number": statement.number},
        "statement",
    )


class StatementEvent(models.Model):
    """One delivery or return the statement settles: the `key` of its LineCharge rows
    (`sale:<sub-order>`, `return:<return>`), on one statement only."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="events")
    key = models.CharField(max_length=120, unique=True)
    sub_order = models.ForeignKey("checkout.SubOrder", on_delete=models.PROTECT, related_name="+")
    on = models.DateField()

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("sự kiện trong bảng đối soát")
        verbose_name_plural = _("sự kiện trong bảng đối soát")

    def __str__(self) -> str:
        return self.key

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise immutable(self.statement)
        super().save(*args, **kwargs)


class PayoutAccount(models.Model):
    """Where the producer's money goes: a NAPAS bank (BIN), account number, holder as printed."""

    producer = models.OneToOneField(
        "producers.Producer", on_delete=models.PROTECT, related_name="payout_account"
    )
    bank_bin = models.CharField(_("ngân hàng (BIN)"), max_length=8)
    account_number = models.CharField(_("số tài khoản"), max_length=19)
    holder_name = models.CharField(_("chủ tài khoản"), max_length=70)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("tài khoản nhận tiền")
        verbose_name_plural = _("tài khoản nhận tiền")

    def __str__(self) -> str:
        return f"{self.bank_bin} {self.account_number}"


class PayoutBatch(models.Model):
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("đã chuyển lúc"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    bank_reference = models.CharField(
        _("mã giao dịch ngân hàng"), max_length=100, unique=True, null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("đợt chi trả")
        verbose_name_plural = _("đợt chi trả")

    def __str__(self) -> str:
        return f"CT-{self.pk}"


class PayoutItem(models.Model):
    """A statement in a batch, with the account it is sent to as it stood when the batch was
    made (the file and the ledger say the same even if the producer edits it later)."""

    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="items")
    statement = models.OneToOneField(Statement, on_delete=models.PROTECT, related_name="payout")
    producer = models.ForeignKey("producers.Producer", on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField()
    bank_bin = models.CharField(max_length=8)
    account_number = models.CharField(max_length=19)
    holder_name = models.CharField(max_length=70)

    class Meta:
        ordering = ["producer_id", "statement_id"]
        verbose_name = _("bảng đối soát trong đợt chi trả")
        verbose_name_plural = _("bảng đối soát trong đợt chi trả")

    def __str__(self) -> str:
        return f"{self.batch} {self.statement}"
