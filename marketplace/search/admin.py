from django.contrib import admin

from config.admin_site import ReadOnlyAdminMixin
from marketplace.search.models import IndexFailure


@admin.register(IndexFailure)
class IndexFailureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The dead-letter log of search index updates; `search_reindex` repairs what it lists."""

    list_display = ("created_at", "product_count", "attempts", "error", "repaired_at")
    list_filter = (("repaired_at", admin.EmptyFieldListFilter),)
    date_hierarchy = "created_at"

    @admin.display(description="sản phẩm")
    def product_count(self, failure: IndexFailure) -> int:
        return len(failure.product_ids)
