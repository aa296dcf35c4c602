from django.contrib import admin

from config.admin_site import ReadOnlyAdminMixin
from marketplace.settlements.models import (
    CommissionRate,
    Entry,
    LineCharge,
    Posting,
    WithholdingRate,
)


class PostingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Posting
    fields = ("account", "amount", "producer")
    readonly_fields = fields
    extra = 0


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read only: a ledger is corrected by a new entry, never by editing one."""

    list_display = ("key", "kind", "order", "producer", "created_at")
    list_filter = ("kind",)
    search_fields = ("key", "order__number", "producer__code")
    readonly_fields = ("kind", "key", "order", "producer", "created_at")
    inlines = [PostingInline]


@admin.register(CommissionRate)
class CommissionRateAdmin(admin.ModelAdmin):
    """A change of terms is a new row with its date of effect: close the old one with
    `valid_to` the day before (overlaps are refused)."""

    list_display = ("__str__", "group", "producer", "percent", "valid_from", "valid_to")
    list_filter = ("group",)
    search_fields = ("producer__name", "producer__code")
    autocomplete_fields = ("producer",)


@admin.register(WithholdingRate)
class WithholdingRateAdmin(admin.ModelAdmin):
    """A change in law is a new row with its date of effect (overlaps are refused)."""

    list_display = (
        "seller_kind",
        "sale_type",
        "vat_percent",
        "pit_percent",
        "valid_from",
        "valid_to",
        "note",
    )
    list_filter = ("seller_kind", "sale_type")


@admin.register(LineCharge)
class LineChargeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("key", "line", "producer", "on", "base", "commission", "vat", "pit")
    list_filter = ("on", "seller_kind", "sale_type")
    search_fields = ("key", "producer__code")
    list_select_related = ("line", "producer")
