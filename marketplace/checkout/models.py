"""Carts, checkouts and orders split into one sub-order per producer."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from marketplace.access import MemberScopedQuerySet
from marketplace.addresses.phones import display_phone


class Cart(models.Model):
    """A shopper's basket: anonymous carts are found by token (kept in the session)."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="carts",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "giỏ hàng"
        verbose_name_plural = "giỏ hàng"

    def __str__(self) -> str:
        return str(self.token)


class CartLine(models.Model):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["cart", "product"], name="cartline_unique_product"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="cartline_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.quantity}"


class ShippingAddress(models.Model):
    """The address fields shared by a checkout and the order made from it."""

    full_name = models.CharField(max_length=150)
    address_phone = models.CharField(max_length=16)
    province = models.ForeignKey("addresses.Province", on_delete=models.PROTECT, related_name="+")
    ward = models.ForeignKey("addresses.Ward", on_delete=models.PROTECT, related_name="+")
    street_address = models.CharField(max_length=255)
    postal_code = models.CharField(max_length=5)
    vpostcode = models.CharField(max_length=12)

    class Meta:
        abstract = True

    def shipping_address(self) -> dict:
        """The address as keyword arguments for another ShippingAddress (a checkout's for its
        order, an order's for the shopper's saved addresses): read from the fields above, so a
        field added here is never left behind."""
        return {f.attname: getattr(self, f.attname) for f in ShippingAddress._meta.local_fields}

    @property
    def phone_display(self) -> str:
        """Stored as +84…; shown the way Vietnamese write it: 0912 345 678."""
        return display_phone(self.address_phone)


class Checkout(ShippingAddress):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)
    subtotal = models.PositiveBigIntegerField()
    shipping_total = models.PositiveBigIntegerField()
    total = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "phiên thanh toán"
        verbose_name_plural = "phiên thanh toán"
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("subtotal") + F("shipping_total")),
                name="checkout_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return str(self.pk)


class CheckoutLine(models.Model):
    checkout = models.ForeignKey(Checkout, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="checkoutline_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.quantity}"


class OrderStatus(models.TextChoices):
    NEW = "new", _("Mới")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    SHIPPED = "shipped", _("Đang giao")
    DELIVERED = "delivered", _("Đã giao")
    CANCELLED = "cancelled", _("Đã hủy")


class ShippingZone(models.TextChoices):
    NONE = "none", _("Không cần giao hàng")
    SAME_WARD = "same_ward", _("Cùng xã/phường")
    SAME_PROVINCE = "same_province", _("Cùng tỉnh/thành")
    ELSEWHERE = "elsewhere", _("Tỉnh/thành khác")


class Order(ShippingAddress):
    number = models.CharField(max_length=12, unique=True)
    # One order per checkout: the unique key is what makes completion idempotent.
    checkout = models.OneToOneField(
        Checkout, on_delete=models.PROTECT, related_name="order", null=True, blank=True
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=16, blank=True, db_index=True)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=OrderStatus.choices, default=OrderStatus.NEW)
    # The shopper's language when ordering: what the emails and SMS about the order are sent in.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="vi")
    subtotal = models.PositiveBigIntegerField()
    shipping_total = models.PositiveBigIntegerField()
    total = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "đơn hàng"
        verbose_name_plural = "đơn hàng"
        # Order lists and the trade office's sales figures filter by date.
        indexes = [models.Index(fields=["created_at"], name="order_created_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=F("subtotal") + F("shipping_total")),
                name="order_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class SubOrderQuerySet(MemberScopedQuerySet):
    """Sub-orders a user may fulfil (marketplace.access)."""


class SubOrder(models.Model):
    """The part of an order one producer ships, with its own fee and status."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="sub_orders")
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.PROTECT, related_name="sub_orders"
    )
    status = models.CharField(max_length=10, choices=OrderStatus.choices, default=OrderStatus.NEW)
    zone = models.CharField(max_length=15, choices=ShippingZone.choices)
    weight_g = models.PositiveIntegerField()
    subtotal = models.PositiveBigIntegerField()
    shipping_fee = models.PositiveBigIntegerField()
    total = models.PositiveBigIntegerField()
    # Filled by the fulfilment service: how it travels once shipped, why it was cancelled.
    carrier = models.CharField(max_length=60, blank=True)
    tracking_number = models.CharField(max_length=40, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubOrderQuerySet.as_manager()

    class Meta:
        ordering = ["order_id", "id"]
        verbose_name = "đơn của chủ thể"
        verbose_name_plural = "đơn của chủ thể"
        indexes = [models.Index(fields=["producer", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["order", "producer"], name="suborder_one_per_producer"),
            models.CheckConstraint(
                condition=Q(total=F("subtotal") + F("shipping_fee")),
                name="suborder_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number}/{self.producer.code}"


class OrderLine(models.Model):
    sub_order = models.ForeignKey(SubOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Copies, so the order reads the same after the listing changes.
    sku = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    unit_price = models.PositiveBigIntegerField()
    quantity = models.PositiveIntegerField()
    line_total = models.PositiveBigIntegerField()
    # A line cancelled before shipping (its sub-order's subtotal no longer counts it).
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="orderline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(line_total=F("unit_price") * F("quantity")),
                name="orderline_total_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity}"


class OrderLineLot(models.Model):
    """Which lot the units of an order line came from, recorded when the producer ships.

    A targeted recall finds the buyers of a lot through these rows.
    """

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="lots")
    batch = models.ForeignKey(
        "traceability.Batch", on_delete=models.PROTECT, related_name="order_lines"
    )
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        verbose_name = "lô của dòng đơn"
        verbose_name_plural = "lô của dòng đơn"
        constraints = [
            models.UniqueConstraint(fields=["line", "batch"], name="orderlinelot_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="orderlinelot_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} ← {self.batch_id} × {self.quantity}"


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", _("Chờ nhà sản xuất xác nhận")
    DISPUTED = "disputed", _("Nhà sản xuất không đồng ý: chờ sàn quyết định")
    ACCEPTED = "accepted", _("Đã nhận trả hàng")
    REJECTED = "rejected", _("Không nhận trả hàng")


class Return(models.Model):
    """A shopper sends a delivered sub-order (or some of its lines) back, once.

    The producer accepts or disputes; staff decide a disputed one. Accepting reverses the sale
    (SALE_RETURNED) and refunds `amount` (marketplace.checkout.services.returns).
    """

    sub_order = models.OneToOneField(
        SubOrder, on_delete=models.PROTECT, related_name="return_request"
    )
    # Empty: the whole sub-order, its shipping too; else these lines, each some of its units.
    lines = models.ManyToManyField(
        OrderLine, related_name="returns", blank=True, through="ReturnLine"
    )
    reason = models.TextField()
    amount = models.PositiveBigIntegerField()
    status = models.CharField(
        max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED
    )
    producer_note = models.TextField(blank=True)
    decision_note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "yêu cầu trả hàng"
        verbose_name_plural = "yêu cầu trả hàng"
        indexes = [models.Index(fields=["status"], name="return_status")]

    def __str__(self) -> str:
        return f"{self.sub_order_id} {self.status}"


class ReturnLine(models.Model):
    """How many units of one line a return sends back (at most what was delivered)."""

    return_request = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="items")
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        verbose_name = "dòng trả hàng"
        verbose_name_plural = "dòng trả hàng"
        constraints = [
            models.UniqueConstraint(fields=["return_request", "line"], name="returnline_unique"),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="returnline_quantity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} × {self.quantity}"
