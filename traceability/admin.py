"""Staff views of lots, the (read-only) event chains, scans, flags and consumer reports."""

from django.contrib import admin

from config.admin_site import ReadOnlyAdminMixin
from traceability.models import Batch, Checkpoint, Event, Scan, ScanFlag, SuspectReport


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["lot", "product", "packed_on", "best_before", "units", "serialised"]
    list_select_related = ["product"]
    search_fields = ["lot", "product__name", "product__gtin"]
    raw_id_fields = ["product"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["batch", "seq", "event_type", "biz_step", "disposition", "event_time", "actor"]
    list_select_related = ["batch"]
    list_filter = ["event_type", "biz_step", "actor_is_inspector"]
    search_fields = ["batch__lot", "actor", "note"]


@admin.register(ScanFlag)
class ScanFlagAdmin(ReadOnlyAdmin):
    list_display = ["batch", "unit", "rule", "detail", "created_at"]
    list_select_related = ["batch", "unit"]
    list_filter = ["rule"]


@admin.register(Scan)
class ScanAdmin(ReadOnlyAdmin):
    list_display = ["batch", "serial", "genuine", "scanned_at", "region"]
    list_select_related = ["batch"]
    list_filter = ["genuine"]


@admin.register(SuspectReport)
class SuspectReportAdmin(ReadOnlyAdmin):
    list_display = ["gtin", "lot", "serial", "where_bought", "created_at"]


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnlyAdmin):
    list_display = ["tree_size", "root_hash", "signed_at", "key_id"]
