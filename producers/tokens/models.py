"""API tokens of a producer's own systems (accounting, ERP, a cooperative's farm app)."""

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """Stored hashed: only `prefix` (shown in lists, used for the look-up) and the SHA-256 of
    the whole token are kept; the token itself is shown once, when it is made."""

    producer = models.ForeignKey(
        "producers.Producer", on_delete=models.CASCADE, related_name="api_tokens"
    )
    # The account requests run as: a member (owner) of the producer kept for its tokens.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "mã API"
        verbose_name_plural = "mã API"

    def __str__(self) -> str:
        return f"{self.producer_id} {self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
