"""The OCOP product groups and sets: what both a producer's certificate and a listing name.

An app whose models import nothing of ours, so producers and catalog both depend on it and
not on each other's models. The tables keep their first names (they began in catalog).
"""

from django.db import models


class OcopGroup(models.Model):
    number = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)

    class Meta:
        db_table = "catalog_ocopgroup"
        ordering = ["number"]
        verbose_name = "nhóm sản phẩm OCOP"
        verbose_name_plural = "nhóm sản phẩm OCOP"

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class ProductSet(models.Model):
    code = models.CharField(primary_key=True, max_length=5)
    group = models.ForeignKey(OcopGroup, on_delete=models.PROTECT, related_name="sets")
    name = models.CharField(max_length=150)
    name_en = models.CharField(max_length=150)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "catalog_productset"
        ordering = ["position"]
        verbose_name = "bộ sản phẩm OCOP"
        verbose_name_plural = "bộ sản phẩm OCOP"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
