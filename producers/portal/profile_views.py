"""The producer's own profile page (owner only): how the tax office knows the producer, and the
bank account its payouts go to.

Thin: the rules are in producers.services.update_tax_identity and
marketplace.payments.payouts.set_payout_account.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import DomainError
from marketplace.form_errors import add_domain_errors
from marketplace.payments import offering, payouts
from marketplace.settlements.models import PayoutAccount
from marketplace.settlements.rates import is_withheld
from producers import services
from producers.portal.forms import TaxIdentityForm
from producers.portal.payout_forms import PayoutAccountForm
from producers.portal.views import owner_required


@owner_required
def tax_identity(request):
    producer = request.portal_producer
    which = request.POST.get("form", "tax") if request.method == "POST" else None
    form = TaxIdentityForm(
        request.POST if which == "tax" else None,
        initial={"tax_code": producer.tax_code, "national_id": producer.national_id},
    )
    account = PayoutAccount.objects.filter(producer=producer).first()
    account_form = PayoutAccountForm(
        request.POST if which == "payout" else None,
        initial={
            "bank_bin": account.bank_bin if account else "",
            "account_number": account.account_number if account else "",
            "holder_name": account.holder_name if account else "",
        },
    )
    if which == "tax" and form.is_valid():
        try:
            services.update_tax_identity(request.user, producer, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu mã số thuế và số căn cước."))
            return redirect("portal:tax_identity")
    if which == "payout" and account_form.is_valid():
        try:
            payouts.set_payout_account(request.user, producer, **account_form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(account_form, exc)
        else:
            messages.success(request, _("Đã lưu tài khoản nhận tiền."))
            return redirect("portal:tax_identity")
    context = {
        "producer": producer,
        "form": form,
        "account_form": account_form,
        "account": account,
        "bank": offering.bank_for_bin(account.bank_bin) if account else None,
        "withheld": is_withheld(producer.kind, timezone.localdate()),
        "missing": not (producer.tax_code or producer.national_id),
    }
    return render(request, "portal/tax_identity.html", context)
