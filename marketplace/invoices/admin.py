from django.contrib import admin

from config.admin_site import ReadOnlyAdminMixin
from marketplace.invoices.models import Invoice, InvoiceProfile


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read only: an invoice is corrected by a replacement, never by editing it."""

    list_display = ("__str__", "producer", "sub_order", "status", "issued_on", "total")
    list_filter = ("status", "kind")
    search_fields = ("symbol", "producer__code", "sub_order__order__number")
    exclude = ("signed_xml", "lookup_code")


@admin.register(InvoiceProfile)
class InvoiceProfileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("producer", "issues_invoices", "template", "symbol", "certificate_not_after")
    exclude = ("sealed_key",)
