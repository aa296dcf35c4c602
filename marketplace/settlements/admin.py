import datetime

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from config.admin_site import ReadOnlyAdminMixin
from marketplace.errors import DomainError
from marketplace.settlements import taxlist
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
    """The per-line breakdown, read only; its tools hold the monthly tax-withheld list."""

    list_display = ("key", "line", "producer", "on", "base", "commission", "vat", "pit")
    list_filter = ("on", "seller_kind", "sale_type")
    search_fields = ("key", "producer__code")
    list_select_related = ("line", "producer")
    change_list_template = "admin/settlements/linecharge/change_list.html"

    def get_urls(self):
        return [
            path(
                "thue-khau-tru/",
                self.admin_site.admin_view(self.tax_list_view),
                name="settlements_taxlist",
            ),
            *super().get_urls(),
        ]

    def tax_list_view(self, request):
        """?thang=2026-11 (default: last month); &tep=xlsx or &tep=xml downloads it."""
        text = request.GET.get("thang") or str(previous_month())
        try:
            month = taxlist.Month.parse(text)
        except DomainError as exc:
            messages.error(request, exc.message)
            month = previous_month()
        tax_list = taxlist.for_month(month)
        fmt = request.GET.get("tep")
        if fmt in EXPORTS:
            content_type, build = EXPORTS[fmt]
            try:
                data = build(tax_list)
            except DomainError as exc:
                messages.error(request, exc.message)
                return redirect(f"{request.path}?thang={month}")
            response = HttpResponse(data, content_type=content_type)
            response["Content-Disposition"] = content_disposition_header(
                True, f"thue-khau-tru-{month}.{fmt}"
            )
            return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Bảng kê thuế đã khấu trừ tháng %(month)s")
            % {"month": f"{month.month:02}/{month.year}"},
            "month": month,
            "tax_list": tax_list,
            "missing": {r.producer_id for r in tax_list.missing_identity},
        }
        return render(request, "admin/settlements/taxlist.html", context)


EXPORTS = {
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        taxlist.to_xlsx,
    ),
    "xml": ("application/xml; charset=utf-8", taxlist.to_xml),
}


def previous_month() -> taxlist.Month:
    first = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    return taxlist.Month(first.year, first.month)
