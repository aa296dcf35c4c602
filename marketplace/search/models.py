"""The database backend's index: one folded search document per product, and its vocabulary."""

from django.db import models


class SearchDocument(models.Model):
    """Folded text of a product, one column per weighted field.

    Each column holds folded words separated by single spaces and padded with a space at both
    ends, so " word " finds a whole word with a plain instr/strpos (the rank). Candidates are
    found by SQLite's FTS5 table or, on PostgreSQL, by tsvector columns generated from these
    (migration 0006).
    """

    product = models.OneToOneField(
        "catalog.Product",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    name = models.TextField()
    producer = models.TextField()
    place = models.TextField()
    product_set = models.TextField()
    description = models.TextField()
    name_length = models.PositiveSmallIntegerField(default=0)
    # The storefront's filters as tokens (documents.filter_keys): on PostgreSQL a filtered
    # search narrows its candidates in the GIN index before joining products (migration 0009).
    keys = models.TextField(default=" ")
    price = models.PositiveBigIntegerField(default=0)  # đồng, for the price filter alike
    # Published by an active producer: a plain search finds candidates without joining products.
    searchable = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "tài liệu tìm kiếm"
        verbose_name_plural = "tài liệu tìm kiếm"

    def __str__(self) -> str:
        return self.name.strip()


class SearchWord(models.Model):
    """Every folded word seen in a document, with one accented spelling for "did you mean".

    Words are added as documents change and only cleared by a full reindex: a stale word can
    only widen a typo's alternatives, never hide a product.
    """

    word = models.CharField(primary_key=True, max_length=60)
    display = models.CharField(max_length=60)
    # How many document writes used the word since the last full reindex (exact right after
    # one): joined words are split into the most frequent pieces.
    frequency = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "từ khóa"
        verbose_name_plural = "từ khóa"

    def __str__(self) -> str:
        return self.word


class IndexFailure(models.Model):
    """The dead-letter log: products whose engine documents could not be written.

    A refresh that still fails after its retries lands here (the database documents were written;
    only the engine is behind). Staff see the open ones in the admin; `search_reindex` rebuilds
    the engine's index from the database and marks every failure before it repaired.
    """

    product_ids = models.JSONField()
    error = models.TextField()
    attempts = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    repaired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "lỗi cập nhật chỉ mục"
        verbose_name_plural = "lỗi cập nhật chỉ mục"
        indexes = [models.Index(fields=["repaired_at", "created_at"], name="indexfailure_open")]

    def __str__(self) -> str:
        return f"{len(self.product_ids)} sản phẩm, {self.created_at:%Y-%m-%d %H:%M}"
