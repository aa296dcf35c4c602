"""Page forms: shape only; every rule lives in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.addresses import selectors as addresses
from marketplace.payments import offering
from marketplace.payments.models import PaymentMethod


class CheckoutForm(forms.Form):
    full_name = forms.CharField(label=_("Họ tên người nhận"), max_length=150)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20)
    email = forms.CharField(label=_("Email (không bắt buộc)"), max_length=254, required=False)
    province_code = forms.ChoiceField(label=_("Tỉnh/thành phố"))
    ward_code = forms.ChoiceField(label=_("Xã/phường/đặc khu"))
    street_address = forms.CharField(label=_("Số nhà, tên đường, thôn/ấp"), max_length=255)
    postal_code = forms.CharField(
        label=_("Mã bưu chính (không bắt buộc)"), max_length=5, required=False
    )
    vpostcode = forms.CharField(
        label=_("VPostcode (không bắt buộc)"), max_length=20, required=False
    )
    note = forms.CharField(
        label=_("Ghi chú giao hàng"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    payment_method = forms.ChoiceField(
        label=_("Thanh toán"),
        choices=PaymentMethod.choices,
        initial=PaymentMethod.COD,
        widget=forms.RadioSelect,
    )

    # The subtotal the page showed: a price change since is confirmed before the order is made.
    confirmed_subtotal = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, province_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        offered = offering.offered_methods()
        self.fields["payment_method"].choices = [
            choice for choice in PaymentMethod.choices if choice[0] in offered
        ]
        self.fields["province_code"].choices = [("", _("— Chọn tỉnh/thành —"))] + [
            (p.code, p.name) for p in addresses.provinces()
        ]
        wards = addresses.wards_of(province_code) if province_code else []
        self.fields["ward_code"].choices = [("", _("— Chọn xã/phường —"))] + [
            (w.code, w.name) for w in wards
        ]
        for name in ("full_name", "street_address"):
            self.fields[name].widget.attrs["autocomplete"] = {"full_name": "name"}.get(
                name, "street-address"
            )
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["email"].widget.attrs.update(autocomplete="email", inputmode="email")
        self.fields["postal_code"].widget.attrs.update(
            inputmode="numeric", pattern=r"\d{5}", autocomplete="postal-code"
        )
        self.fields["vpostcode"].widget.attrs.update(
            autocomplete="off", autocapitalize="characters"
        )
        self.fields["province_code"].widget.attrs["autocomplete"] = "address-level1"
        self.fields["ward_code"].widget.attrs["autocomplete"] = "address-level2"
        self.fields["email"].widget.input_type = "email"


class OldAddressForm(forms.Form):
    province = forms.CharField(label=_("Tỉnh cũ"), max_length=100)
    district = forms.CharField(label=_("Quận/huyện/thị xã/thành phố cũ"), max_length=100)
    ward = forms.CharField(label=_("Phường/xã/thị trấn cũ"), max_length=100)


class OrderLookupForm(forms.Form):
    number = forms.CharField(label=_("Mã đơn hàng"), max_length=12)
    phone = forms.CharField(label=_("Số điện thoại đặt hàng"), max_length=20)


class RefundAccountForm(forms.Form):
    """Where a bank refund goes; marketplace.payments.refunds checks the bank and the digits."""

    # Not required here: the service's messages say what is missing, in the page's words.
    bank_bin = forms.CharField(label=_("Ngân hàng"), required=False, widget=forms.Select)
    account_number = forms.CharField(label=_("Số tài khoản"), max_length=40, required=False)
    holder_name = forms.CharField(label=_("Tên chủ tài khoản"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_bin"].widget.choices = [("", _("— Chọn ngân hàng —"))] + [
            (bank.bin, f"{bank.short_name} · {bank.name}") for bank in offering.banks()
        ]
        number = self.fields["account_number"].widget.attrs
        number.update(inputmode="numeric", autocomplete="off")
        self.fields["holder_name"].widget.attrs.update(
            autocomplete="cc-name", autocapitalize="characters"
        )


class ReturnForm(forms.Form):
    """A return of one sub-order: units per line (0 keeps the line) and the reason.
    marketplace.checkout.services.returns checks the units against what was delivered."""

    reason = forms.CharField(
        label=_("Lý do trả hàng"),
        required=False,  # the service says why it is needed
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(lines)
        for line in self.lines:
            self.fields[f"qty_{line.pk}"] = forms.IntegerField(
                label=_("%(name)s (đã nhận %(n)s)") % {"name": line.name, "n": line.quantity},
                initial=line.quantity,
                required=False,
                min_value=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )

    def quantities(self) -> dict[int, int]:
        return {line.pk: self.cleaned_data[f"qty_{line.pk}"] or 0 for line in self.lines}

    def quantity_fields(self):
        return [self[f"qty_{line.pk}"] for line in self.lines]
