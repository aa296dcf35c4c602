from django.contrib import admin

from config.admin_site import ReadOnlyAdminMixin
from marketplace.settlements.models import Entry, Posting


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
