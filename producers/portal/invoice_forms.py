"""The portal's e-invoice forms: settings and the signing certificate upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.invoices.certificates import MAX_FILE_BYTES
from marketplace.invoices.models import Template, VatRate


class InvoiceSettingsForm(forms.Form):
    issues_invoices = forms.BooleanField(
        label=_("Lập hóa đơn điện tử cho mỗi đơn đã giao"), required=False
    )
    template = forms.ChoiceField(label=_("Mẫu số"), choices=Template.choices)
    symbol = forms.CharField(
        label=_("Ký hiệu hóa đơn"),
        max_length=12,
        required=False,
        help_text=_("6 ký tự như C26TAA (Thông tư 78/2021). Hai số năm tự theo năm lập hóa đơn."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    vat_rate = forms.ChoiceField(
        label=_("Thuế suất GTGT (mẫu số 1; giá bán đã gồm thuế)"), choices=VatRate.choices
    )


class CertificateForm(forms.Form):
    certificate = forms.FileField(
        label=_("Tệp chứng thư số (.p12 hoặc .pfx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".p12,.pfx,application/x-pkcs12"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu của tệp"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
        help_text=_("Chỉ dùng để mở tệp, không được lưu lại."),
    )

    def read(self) -> bytes:
        upload = self.cleaned_data["certificate"]
        # One byte more than allowed is enough to refuse the file without reading it all.
        return upload.read(MAX_FILE_BYTES + 1)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=500, required=False)
