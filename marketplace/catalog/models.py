"""What is sold: products, their images and stock (the OCOP groups and sets are in taxonomy)."""

import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from marketplace.access import MemberScopedQuerySet, is_platform_staff
from marketplace.catalog import gtin as gtin_rules
from marketplace.catalog import thumbnails
from marketplace.storage import private_storage_for_field
from marketplace.taxonomy.models import ProductSet


class ProductStatus(models.TextChoices):
    PUBLISHED = "published", _("Đang bán")
    DRAFT = "draft", _("Bản nháp")
    HIDDEN = "hidden", _("Đã ẩn")


def validate_gtin13(value: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        gtin_rules.validate_gtin13(value)
    except gtin_rules.InvalidGtin as exc:
        raise ValidationError(str(exc)) from exc


# What a card leaves out: most of a row's bytes, read only by the product and producer pages.
CARD_DEFERRED = ("description", "moderation_reason", "producer__description")


class ProductQuerySet(MemberScopedQuerySet):
    def published(self):
        return self.filter(status=ProductStatus.PUBLISHED, producer__is_active=True)

    def visible_to(self, user):
        """Published products for everyone, plus any a member or staff may manage."""
        if not user.is_authenticated:
            return self.published()
        if is_platform_staff(user):
            return self
        return self.filter(
            Q(status=ProductStatus.PUBLISHED, producer__is_active=True)
            | Q(producer__memberships__user=user)
        ).distinct()

    def for_listing(self, *, descriptions: bool = True):
        """Everything a product card or the API shows, in a constant number of queries;
        without the long texts a card never shows unless `descriptions`."""
        listed = self.select_related(
            "producer__ward", "certificate", "product_set__group", "stock"
        ).prefetch_related(
            models.Prefetch("images", queryset=ProductImage.objects.order_by("position", "id"))
        )
        return listed if descriptions else listed.defer(*CARD_DEFERRED)


class ListingFacts:
    """What a product shows that is worked out from its own fields: the model and its card
    (marketplace.catalog.cards) both read them here."""

    __slots__ = ()

    @property
    def ocop_stars(self) -> int | None:
        return self.certificate.stars if self.certificate_id else None

    @property
    def rating_average(self) -> float | None:
        """Mean stars of the visible reviews, one decimal; None before the first review."""
        if not self.rating_count:
            return None
        return round(self.rating_total / self.rating_count, 1)


class CertificateValidity:
    """When an OCOP certificate is valid: producers.models.OcopCertificate and the certificate
    of a listing's card (marketplace.catalog.cards) both answer with this rule."""

    __slots__ = ()

    def is_valid_on(self, day: datetime.date) -> bool:
        """Valid from the issue date through the expiry date, both inclusive."""
        return self.issued_on <= day <= self.expires_on


class Product(ListingFacts, models.Model):
    sku = models.CharField(
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9._-]+$", "SKU chỉ gồm chữ, số, '.', '_', '-'.")],
    )
    gtin = models.CharField(
        max_length=13, unique=True, null=True, blank=True, validators=[validate_gtin13]
    )
    name = models.CharField(max_length=200)
    # Optional, given by the producer: shown in the English storefront and found by search.
    name_en = models.CharField(max_length=200, blank=True, default="")
    slug = models.SlugField(max_length=220, unique=True)
    # Folded copy of the name, so sorting puts "Đ" with "D" on every database.
    sort_name = models.CharField(max_length=200, editable=False, db_index=True)
    description = models.TextField(blank=True)
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.PROTECT, related_name="products"
    )
    certificate = models.ForeignKey(
        "producers.OcopCertificate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
    )
    # Set when staff confirmed that the certificate covers this listing although its name or
    # set differs from the certified product's (producers.certificates).
    certificate_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    product_set = models.ForeignKey(ProductSet, on_delete=models.PROTECT, related_name="products")
    unit = models.CharField(max_length=40)
    net_weight_g = models.PositiveIntegerField(default=0)
    price = models.PositiveBigIntegerField(help_text="Giá bán, đồng.")
    status = models.CharField(
        max_length=10, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    # Set when staff hide a listing: the producer sees the reason and cannot re-publish until
    # staff clear it (catalog.services.moderate_hide / clear_moderation).
    moderation_reason = models.CharField(max_length=500, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Denormalised from the visible reviews (marketplace.reviews.services keeps them, in the
    # review's transaction), so cards and the rating sort cost no query.
    rating_count = models.PositiveIntegerField(default=0, editable=False)
    rating_total = models.PositiveIntegerField(default=0, editable=False)
    # The average × 100, rounded: an integer the keyset cursor can carry (0 = no reviews).
    rating_sort = models.PositiveSmallIntegerField(default=0, editable=False)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name", "id"]
        verbose_name = "sản phẩm"
        verbose_name_plural = "sản phẩm"
        indexes = [
            models.Index(fields=["status", "sort_name", "id"], name="product_status_name"),
            models.Index(fields=["status", "price", "id"], name="product_status_price"),
            models.Index(fields=["status", "created_at", "id"], name="product_status_created"),
            models.Index(fields=["status", "rating_sort", "id"], name="product_status_rating"),
            # A listing's totalCount reads this index alone (published, active producer).
            models.Index(fields=["status", "producer"], name="product_status_producer"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(price__gte=0), name="product_price_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    @property
    def is_published(self) -> bool:
        return self.status == ProductStatus.PUBLISHED

    @property
    def is_moderated(self) -> bool:
        return bool(self.moderation_reason)

    @property
    def needs_shipping(self) -> bool:
        """Tourism services (group 6) are experiences, not parcels."""
        return self.product_set.group_id != 6

    @property
    def stock_quantity(self) -> int:
        try:
            return self.stock.quantity
        except Stock.DoesNotExist:
            return 0

    @property
    def main_image(self):
        images = list(self.images.all())  # uses the prefetch when present
        return images[0] if images else None


class Stock(models.Model):
    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="stock")
    quantity = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tồn kho"
        verbose_name_plural = "tồn kho"
        indexes = [models.Index(fields=["quantity"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.quantity}"


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    # The normalised JPEG; thumbnails sit beside it as <stem>_<size>.<webp|jpg>.
    file = models.FileField(upload_to="products/", max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_placeholder = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "ảnh sản phẩm"
        verbose_name_plural = "ảnh sản phẩm"

    def __str__(self) -> str:
        return self.file.name

    def thumbnail_name(self, size: int, fmt: str = "webp") -> str:
        return thumbnails.thumbnail_name(self.file.name, size, fmt)

    def thumbnail_url(self, size: int | None = None, fmt: str = "webp") -> str:
        return thumbnails.thumbnail_url(self.file.name, size, fmt)

    @property
    def url(self) -> str:
        return default_storage.url(self.file.name)


class GtinCounter(models.Model):
    """The next item reference to allocate under one GS1 company prefix (row-locked)."""

    prefix = models.CharField(max_length=11, unique=True)
    next_reference = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "bộ đếm GTIN"
        verbose_name_plural = "bộ đếm GTIN"

    def __str__(self) -> str:
        return f"{self.prefix}: {self.next_reference}"


class PhotoUploadStatus(models.TextChoices):
    QUEUED = "queued", _("Đang xử lý")
    DONE = "done", _("Xong")
    FAILED = "failed", _("Không xử lý được")


class PhotoUpload(models.Model):
    """A phone photo waiting to be normalised off the request (catalog.photo_jobs): the
    original sits in private storage until the task has made the picture and its thumbnails."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="photo_uploads")
    original = models.FileField(max_length=255, storage=private_storage_for_field)
    sha256 = models.CharField(max_length=64)
    alt = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=PhotoUploadStatus.choices, default=PhotoUploadStatus.QUEUED
    )
    error = models.CharField(max_length=500, blank=True)
    image = models.OneToOneField(
        ProductImage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "ảnh đang xử lý"
        verbose_name_plural = "ảnh đang xử lý"
        constraints = [
            # A photo sent twice on a weak connection is queued once.
            models.UniqueConstraint(
                fields=["product", "sha256"],
                condition=Q(status="queued"),
                name="photoupload_queued_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.status}"
