"""One payment per order, and a ledger of what happened to it (idempotent by key)."""

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
