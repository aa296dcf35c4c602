from django.contrib import admin

from marketplace.settlements.models import Entry, Posting


class PostingInline(admin.TabularInline):
    model = Posting
    fields = ("account", "amount", "producer")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Read only: a ledger is corrected by a new entry, never by editing one."""

    list_display = ("key", "kind", "order", "producer", "created_at")
    list_filter = ("kind",)
    search_fields = ("key", "order__number", "producer__code")
    readonly_fields = ("kind", "key", "order", "producer", "created_at")
    inlines = [PostingInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
