"""Administrative units after the 1 July 2025 reform: 34 provinces, wards directly below them."""

from django.db import models

from marketplace.text import fold


class Province(models.Model):
    code = models.CharField(primary_key=True, max_length=2)
    name = models.CharField(max_length=100)
    division_type = models.CharField(max_length=40)
    codename = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = "tỉnh/thành phố"
        verbose_name_plural = "tỉnh/thành phố"

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """'Thành phố Hà Nội' → 'Hà Nội': what a list of provinces is sorted by."""
        return self.name.removeprefix("Thành phố ").removeprefix("Tỉnh ")


class Ward(models.Model):
    code = models.CharField(primary_key=True, max_length=5)
    name = models.CharField(max_length=100)
    division_type = models.CharField(max_length=40)
    codename = models.CharField(max_length=100)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="wards")

    class Meta:
        ordering = ["province_id", "name"]
        verbose_name = "xã/phường"
        verbose_name_plural = "xã/phường"

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """'Xã An Phú' → 'An Phú', for places in running text."""
        for prefix in ("Đặc khu ", "Phường ", "Xã "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name

    @property
    def folded_name(self) -> str:
        return fold(self.name)
