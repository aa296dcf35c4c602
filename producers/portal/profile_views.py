"""The producer's own profile pages (owner only): how the tax office knows the producer.

Thin: the rule is in producers.services.update_tax_identity.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import DomainError
from marketplace.form_errors import add_domain_errors
from marketplace.settlements.rates import is_withheld
from producers import services
from producers.portal.forms import TaxIdentityForm
from producers.portal.views import owner_required


@owner_required
def tax_identity(request):
    producer = request.portal_producer
    form = TaxIdentityForm(
        request.POST or None,
        initial={"tax_code": producer.tax_code, "national_id": producer.national_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_tax_identity(request.user, producer, **form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu mã số thuế và số căn cước."))
            return redirect("portal:tax_identity")
    context = {
        "producer": producer,
        "form": form,
        "withheld": is_withheld(producer.kind, timezone.localdate()),
        "missing": not (producer.tax_code or producer.national_id),
    }
    return render(request, "portal/tax_identity.html", context)
