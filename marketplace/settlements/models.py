"""A double-entry ledger in integer đồng: every money movement is one entry whose postings sum
to zero. Debits are positive, credits negative.

An entry belongs to the order it moved money for and, when one producer's sub-order caused it,
to that producer; its postings carry the same two tags, so "every order's and every producer's
postings sum to zero" is a sum over an indexed column (see checks.py).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Registered with this app from their own module (rates, per-line charges, COD remittances).
from marketplace.settlements.charge_models import (  # noqa: F401
    CodRemittance,
    CodRemittanceItem,
    CommissionRate,
    LineCharge,
    SaleType,
    WithholdingRate,
)
from marketplace.settlements.statement_models import (  # noqa: F401
    PayoutAccount,
    PayoutBatch,
    PayoutItem,
    Statement,
    StatementEvent,
)


class Account(models.TextChoices):
    # What the platform holds.
    PLATFORM_BANK = "platform_bank", _("Tài khoản ngân hàng của sàn")
    STRIPE_BALANCE = "stripe_balance", _("Số dư tại Stripe")
    CARRIER_COD = "carrier_cod", _("Tiền thu hộ đơn vị vận chuyển đang giữ")
    # What the platform owes.
    SHOPPER_FUNDS = "shopper_funds", _("Tiền của khách chờ giao hàng")
    PRODUCER_PAYABLE = "producer_payable", _("Phải trả nhà sản xuất")
    REFUNDS_DUE = "refunds_due", _("Tiền hoàn chờ chuyển cho khách")
    VAT_WITHHELD = "vat_withheld", _("Thuế GTGT đã khấu trừ, phải nộp")
    PIT_WITHHELD = "pit_withheld", _("Thuế TNCN đã khấu trừ, phải nộp")
    # What the platform earns.
    COMMISSION_REVENUE = "platform_commission", _("Doanh thu hoa hồng của sàn")


class EntryKind(models.TextChoices):
    PAYMENT_RECEIVED = "payment_received", _("Khách đã trả tiền")
    COD_COLLECTED = "cod_collected", _("Đơn vị vận chuyển thu hộ khi giao")
    SALE_DELIVERED = "sale_delivered", _("Hàng đã giao: tiền thuộc về nhà sản xuất")
    COD_REMITTED = "cod_remitted", _("Đơn vị vận chuyển chuyển tiền thu hộ về sàn")
    COMMISSION = "commission", _("Hoa hồng của sàn")
    TAX_WITHHELD = "tax_withheld", _("Thuế khấu trừ thay người bán")
    REFUND = "refund", _("Hoàn tiền cho khách")
    REFUND_PAID = "refund_paid", _("Đã chuyển tiền hoàn cho khách")
    SALE_RETURNED = "sale_returned", _("Khách trả hàng: hủy doanh thu đã giao")
    PAYOUT = "payout", _("Chuyển tiền cho nhà sản xuất")


class Entry(models.Model):
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    # One movement is written once: a replayed webhook or a delivery marked twice hits it.
    key = models.CharField(max_length=255, unique=True)
    # None for movements of a producer's money that no single order caused (a payout).
    order = models.ForeignKey(
        "checkout.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    producer = models.ForeignKey(
        "producers.Producer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "bút toán"
        verbose_name_plural = "sổ cái"

    def __str__(self) -> str:
        return self.key


class Posting(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="postings")
    account = models.CharField(max_length=20, choices=Account.choices)
    amount = models.BigIntegerField()  # đồng; debit > 0, credit < 0
    order = models.ForeignKey(
        "checkout.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["entry_id", "id"]
        verbose_name = "dòng bút toán"
        verbose_name_plural = "dòng bút toán"
        indexes = [models.Index(fields=["account", "order"])]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="posting_not_zero")]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.account} {self.amount}"
