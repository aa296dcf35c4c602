"""Staff pages for statements and payouts (in the admin): every producer's statements with
their XLSX and PDF, "create a payout batch" from selected ones, the batch's bank file and
"mark paid". Thin: marketplace.payments.payouts and marketplace.settlements hold the rules."""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.admin_site import ReadOnlyAdminMixin
from marketplace.errors import DomainError
from marketplace.money import format_vnd
from marketplace.payments import payouts
from marketplace.settlements import statement_files, statement_selectors
from marketplace.settlements.models import PayoutBatch, PayoutItem, Statement

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("number", "producer", "period_start", "period_end", "net_vnd", "paid")
    list_filter = ("period_end",)
    search_fields = ("number", "producer__code", "producer__name")
    list_select_related = ("producer", "payout__batch")
    readonly_fields = (
        "number",
        "producer",
        "period_start",
        "period_end",
        "issued_at",
        "goods",
        "shipping",
        "returns",
        "commission",
        "vat",
        "pit",
        "net",
        "cod_collected",
        "files",
    )
    actions = ["create_batch"]

    @admin.display(description=gettext_lazy("thực nhận"))
    def net_vnd(self, obj):
        return format_vnd(obj.net)

    @admin.display(description=gettext_lazy("đã thanh toán"), boolean=True)
    def paid(self, obj):
        payout = getattr(obj, "payout", None)
        return payout is not None and payout.batch.paid_at is not None

    @admin.display(description=gettext_lazy("tệp"))
    def files(self, obj):
        return format_html(
            '<a href="{}">XLSX</a> · <a href="{}">PDF</a>',
            reverse("admin:settlements_statement_xlsx", args=[obj.pk]),
            reverse("admin:settlements_statement_pdf", args=[obj.pk]),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/bang-doi-soat.xlsx",
                self.admin_site.admin_view(self.xlsx_view),
                name="settlements_statement_xlsx",
            ),
            path(
                "<int:pk>/bang-doi-soat.pdf",
                self.admin_site.admin_view(self.pdf_view),
                name="settlements_statement_pdf",
            ),
            *super().get_urls(),
        ]

    def xlsx_view(self, request, pk):
        statement = get_object_or_404(Statement.objects.select_related("producer"), pk=pk)
        body = statement_files.to_xlsx(statement, statement_selectors.lines_of(statement))
        return download(body, XLSX, f"{statement.number}.xlsx")

    def pdf_view(self, request, pk):
        statement = get_object_or_404(Statement.objects.select_related("producer"), pk=pk)
        body = statement_files.to_pdf(statement, statement_selectors.lines_of(statement))
        return download(body, "application/pdf", f"{statement.number}.pdf")

    @admin.action(description=gettext_lazy("Tạo đợt chi trả từ các bảng đã chọn"))
    def create_batch(self, request, queryset):
        try:
            batch = payouts.create_batch(request.user, list(queryset.values_list("pk", flat=True)))
        except DomainError as exc:
            messages.error(request, exc.message)
            return None
        messages.success(request, _("Đã tạo đợt chi trả %(batch)s.") % {"batch": batch})
        return redirect("admin:settlements_payoutbatch_change", batch.pk)


class PayoutItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PayoutItem
    fields = ("statement", "producer", "amount", "bank_bin", "account_number", "holder_name")
    readonly_fields = fields
    extra = 0


@admin.register(PayoutBatch)
class PayoutBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "created_at", "paid_at", "bank_reference")
    readonly_fields = ("created_at", "created_by", "paid_at", "paid_by", "bank_reference", "tools")
    inlines = [PayoutItemInline]

    @admin.display(description=gettext_lazy("thao tác"))
    def tools(self, obj):
        csv_link = reverse("admin:settlements_payoutbatch_csv", args=[obj.pk])
        if obj.paid_at:
            return format_html('<a href="{}">{}</a>', csv_link, _("Tệp chuyển khoản (CSV)"))
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            csv_link,
            _("Tệp chuyển khoản (CSV)"),
            reverse("admin:settlements_payoutbatch_paid", args=[obj.pk]),
            _("Ghi đã chuyển"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/chuyen-khoan.csv",
                self.admin_site.admin_view(self.csv_view),
                name="settlements_payoutbatch_csv",
            ),
            path(
                "<int:pk>/da-chuyen/",
                self.admin_site.admin_view(self.paid_view),
                name="settlements_payoutbatch_paid",
            ),
            *super().get_urls(),
        ]

    def csv_view(self, request, pk):
        batch = get_object_or_404(PayoutBatch, pk=pk)
        return download(payouts.to_csv(batch), "text/csv; charset=utf-8", f"chi-tra-{batch}.csv")

    def paid_view(self, request, pk):
        batch = get_object_or_404(PayoutBatch, pk=pk)
        error = ""
        if request.method == "POST":
            try:
                payouts.mark_paid(request.user, batch.pk, request.POST.get("bank_reference", ""))
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(
                    request, _("Đã ghi đợt %(batch)s là đã chuyển.") % {"batch": batch}
                )
                return redirect("admin:settlements_payoutbatch_change", batch.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Ghi đợt chi trả %(batch)s là đã chuyển") % {"batch": batch},
            "batch": batch,
            "transfers": payouts.transfers(batch),
            "error": error,
        }
        return render(
            request, "admin/settlements/payout_paid.html", context, status=400 if error else 200
        )
