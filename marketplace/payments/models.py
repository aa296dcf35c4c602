"""One payment per order, and a ledger of what happened to it (idempotent by key)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PaymentMethod(models.TextChoices):
    COD = "cod", _("Thanh toán khi nhận hàng")
    VIETQR = "vietqr", _("Chuyển khoản VietQR")
    STRIPE = "stripe", _("Thẻ quốc tế (Stripe)")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PARTIALLY_PAID = "partially_paid", _("Đã thu một phần")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Thất bại")


class Payment(models.Model):
    order = models.OneToOneField("checkout.Order", on_delete=models.CASCADE, related_name="payment")
    method = models.CharField(max_length=10, choices=PaymentMethod.choices)
    status = models.CharField(
        max_length=15, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    amount = models.PositiveBigIntegerField()
    amount_received = models.PositiveBigIntegerField(default=0)
    vietqr_payload = models.TextField(blank=True)
    stripe_payment_intent = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_client_secret = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "thanh toán"
        verbose_name_plural = "thanh toán"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_received__lte=models.F("amount")),
                name="payment_not_overpaid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.method} {self.status}"


class PaymentEventKind(models.TextChoices):
    STARTED = "started", _("Khởi tạo")
    RECEIVED = "received", _("Đã nhận tiền")
    FAILED = "failed", _("Thất bại")
    MISMATCH = "mismatch", _("Sai lệch")


class PaymentEvent(models.Model):
    """Append-only: a repeated webhook, statement line or delivery hits the unique key."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=PaymentEventKind.choices)
    amount = models.BigIntegerField(default=0)
    idempotency_key = models.CharField(max_length=255, unique=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "sự kiện thanh toán"
        verbose_name_plural = "sổ thanh toán"

    def __str__(self) -> str:
        return self.idempotency_key


class RefundChannel(models.TextChoices):
    STRIPE = "stripe", _("Hoàn về thẻ (Stripe)")
    BANK = "bank", _("Chuyển khoản về tài khoản của khách")


class RefundReason(models.TextChoices):
    CANCEL = "cancel", _("Đơn bị hủy")
    CANCEL_LINE = "cancel_line", _("Một sản phẩm bị hủy")
    RETURN = "return", _("Khách trả hàng")


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("Đang hoàn tiền")
    SUCCEEDED = "succeeded", _("Đã hoàn tiền")
    FAILED = "failed", _("Hoàn tiền lỗi")


class Refund(models.Model):
    """Money going back to the shopper for one cancelled sub-order, line or return.

    `key` names what caused it (`cancel:<sub-order>`, `line:<line>`, `return:<return>`): the
    same cause refunds once, whatever the clicks or replays.
    """

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    sub_order = models.ForeignKey(
        "checkout.SubOrder", on_delete=models.PROTECT, related_name="refunds"
    )
    key = models.CharField(max_length=100, unique=True)
    reason = models.CharField(max_length=12, choices=RefundReason.choices)
    channel = models.CharField(max_length=10, choices=RefundChannel.choices)
    amount = models.PositiveBigIntegerField()
    status = models.CharField(
        max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    stripe_refund_id = models.CharField(max_length=255, blank=True, db_index=True)
    bank_reference = models.CharField(max_length=100, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "khoản hoàn tiền"
        verbose_name_plural = "hoàn tiền"
        # Staff work from the pending bank transfers, oldest first.
        indexes = [models.Index(fields=["status", "channel"], name="refund_status_channel")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.key


class RefundAccount(models.Model):
    """Where a bank refund of an order goes: given by the shopper on the order page."""

    payment = models.OneToOneField(Payment, on_delete=models.CASCADE, related_name="refund_account")
    bank_bin = models.CharField(max_length=6)
    account_number = models.CharField(max_length=19)
    holder_name = models.CharField(max_length=70)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tài khoản nhận hoàn tiền"
        verbose_name_plural = "tài khoản nhận hoàn tiền"

    def __str__(self) -> str:
        return f"{self.bank_bin} {self.account_number}"
