"""Reviews of delivered order lines, their photos, the producer's reply and staff moderation."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from marketplace.access import MemberScopedQuerySet
from marketplace.catalog import thumbnails


class ReviewQuerySet(MemberScopedQuerySet):
    """`for_member(user)`: reviews of the producers the user manages (marketplace.access)."""

    def visible(self):
        return self.filter(hidden_at__isnull=True)


class Review(models.Model):
    # One review per delivered order line: the unique key is the "once" rule under races.
    line = models.OneToOneField(
        "checkout.OrderLine", on_delete=models.CASCADE, related_name="review"
    )
    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="reviews")
    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.CASCADE, related_name="reviews"
    )
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    # Shown instead of the buyer's full name: given name and an initial ("Lan N.").
    author_name = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)
    reply_text = models.TextField(blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "đánh giá"
        verbose_name_plural = "đánh giá"
        indexes = [
            models.Index(fields=["product", "hidden_at", "created_at", "id"], name="review_page"),
            models.Index(fields=["producer", "created_at"], name="review_producer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="review_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.rating}★ ({self.author_name})"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class ReviewPhoto(models.Model):
    """A buyer's photo, normalised by the catalog's photo pipeline (no EXIF/GPS, thumbnails)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="reviews/", max_length=255)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "ảnh đánh giá"
        verbose_name_plural = "ảnh đánh giá"

    def __str__(self) -> str:
        return self.file.name

    @property
    def alt(self) -> str:
        return f"Ảnh của {self.review.author_name}"

    def thumbnail_url(self, size: int | None = None, fmt: str = "webp") -> str:
        return thumbnails.thumbnail_url(self.file.name, size, fmt)
