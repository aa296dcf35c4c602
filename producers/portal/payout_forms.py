from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.payments import offering


class PayoutAccountForm(forms.Form):
    """Checked by marketplace.payments.payouts.set_payout_account (the bank-account rules)."""

    bank_bin = forms.ChoiceField(label=_("Ngân hàng"))
    account_number = forms.CharField(label=_("Số tài khoản"), max_length=40)
    holder_name = forms.CharField(
        label=_("Chủ tài khoản"),
        max_length=70,
        help_text=_("Như in trên thẻ, ví dụ NGUYEN THI LAN."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_bin"].choices = [("", "—")] + [
            (bank.bin, f"{bank.short_name} · {bank.name}") for bank in offering.banks()
        ]
