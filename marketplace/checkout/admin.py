from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from config.admin_site import ReadOnlyAdminMixin
from marketplace.checkout.models import Order, OrderLine, SubOrder
from marketplace.checkout.services import remittance
from marketplace.errors import DomainError
from marketplace.money import format_vnd
from marketplace.settlements.models import CodRemittance, CodRemittanceItem


class SubOrderInline(admin.TabularInline):
    model = SubOrder
    extra = 0
    fields = ["producer", "status", "zone", "weight_g", "subtotal", "shipping_fee", "total"]
    readonly_fields = fields
    can_delete = False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "created_at", "full_name", "province", "status", "total"]
    list_filter = ["status", "province"]
    search_fields = ["number", "phone", "email", "full_name"]
    list_select_related = ["province"]
    readonly_fields = [f.name for f in Order._meta.fields]
    inlines = [SubOrderInline]


@admin.register(OrderLine)
class OrderLineAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "quantity", "unit_price", "line_total", "sub_order"]
    search_fields = ["sku", "sub_order__order__number"]
    list_select_related = ["sub_order__order", "sub_order__producer"]


class RemittanceForm(forms.Form):
    carrier = forms.CharField(label=_("Đơn vị vận chuyển"), max_length=60)
    remitted_on = forms.DateField(
        label=_("Ngày chuyển tiền"), widget=forms.DateInput(attrs={"type": "date"})
    )
    bank_reference = forms.CharField(label=_("Mã giao dịch ngân hàng"), max_length=60)
    file = forms.FileField(
        label=_("Tệp đối soát của đơn vị vận chuyển (CSV)"),
        help_text=_("Cột tracking_number (mã vận đơn) và amount (tiền thu hộ), UTF-8."),
    )


class RemittanceItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CodRemittanceItem
    fields = ("tracking_number", "sub_order", "amount")
    readonly_fields = fields
    extra = 0


@admin.register(CodRemittance)
class CodRemittanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Recorded only through the upload page (one all-or-nothing service), never edited."""

    list_display = ("remitted_on", "carrier", "bank_reference", "total", "recorded_by")
    list_filter = ("carrier",)
    search_fields = ("bank_reference", "items__tracking_number")
    date_hierarchy = "remitted_on"
    inlines = [RemittanceItemInline]
    change_list_template = "admin/settlements/codremittance/change_list.html"

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_view)
        return [
            path("tai-len/", upload, name="settlements_codremittance_upload"),
            *super().get_urls(),
        ]

    def upload_view(self, request):
        form = RemittanceForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                rows = remittance.read_rows(data["file"].read(remittance.MAX_FILE_BYTES + 1))
                record, new = remittance.record_remittance(
                    carrier=data["carrier"],
                    remitted_on=data["remitted_on"],
                    bank_reference=data["bank_reference"],
                    rows=rows,
                    by=request.user,
                )
            except DomainError as exc:
                problems = [e.message for e in exc.each()]
            else:
                message = (
                    _("Đã ghi đối soát %(reference)s: %(count)s đơn, %(total)s.")
                    if new
                    else _("Đối soát %(reference)s đã ghi trước đó (%(count)s đơn, %(total)s).")
                )
                messages.success(
                    request,
                    message
                    % {
                        "reference": record.bank_reference,
                        "count": record.items.count(),
                        "total": format_vnd(record.total),
                    },
                )
                return redirect("admin:settlements_codremittance_change", record.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Ghi tiền thu hộ đơn vị vận chuyển đã chuyển về"),
            "form": form,
            "problems": problems,
        }
        return render(request, "admin/settlements/codremittance/upload.html", context)
