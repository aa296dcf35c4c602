"""Optional shopper accounts: a verified phone, its sign-in codes and saved addresses.

A shopper is not a Django user on purpose: signing in by SMS code puts a shopper id in the
session and nothing else, so it can never open the portal, the office or the admin, even for a
phone number that also belongs to a producer's account.
"""

from django.db import models

from marketplace.checkout.models import ShippingAddress
from producers.models import OneTimeCode


class Shopper(models.Model):
    phone = models.CharField(max_length=16, unique=True)  # +84…, normalised
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)  # first sign-in with a code

    class Meta:
        verbose_name = "khách mua có tài khoản"
        verbose_name_plural = "khách mua có tài khoản"

    def __str__(self) -> str:
        return self.phone


class ShopperCode(OneTimeCode):
    """A sign-in code sent by SMS (rules in producers.onetime)."""

    shopper = models.ForeignKey(Shopper, on_delete=models.CASCADE, related_name="codes")

    class Meta:
        verbose_name = "mã đăng nhập qua SMS"
        verbose_name_plural = "mã đăng nhập qua SMS"
        indexes = [models.Index(fields=["shopper", "created_at"], name="shopper_code_latest")]

    def __str__(self) -> str:
        return f"{self.shopper} ({self.attempts} lần thử)"


class SavedAddress(ShippingAddress):
    shopper = models.ForeignKey(Shopper, on_delete=models.CASCADE, related_name="addresses")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "địa chỉ đã lưu"
        verbose_name_plural = "địa chỉ đã lưu"

    def __str__(self) -> str:
        return f"{self.full_name}, {self.street_address}"
