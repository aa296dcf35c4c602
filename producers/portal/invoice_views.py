"""Portal pages for e-invoices: the list with downloads and actions, and the owner's settings
(template, symbol, VAT rate, the PKCS#12 signing certificate).

Thin: marketplace.invoices.profiles and .issuing hold the rules and the access checks; members
see only their producers' invoices (Invoice.objects.for_member).
"""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from marketplace.errors import DomainError
from marketplace.form_errors import add_domain_errors
from marketplace.invoices import issuing, pdf, profiles, selectors, senders
from producers.portal.downloads import attachment
from producers.portal.invoice_forms import CertificateForm, InvoiceSettingsForm, ReasonForm
from producers.portal.views import member_required, owner_required


@require_safe
@member_required
def invoice_list(request):
    producer = request.portal_producer
    profile = profiles.profile_of(producer) if producer else None
    problem = profiles.problem(profile) if profile else None
    return render(
        request,
        "portal/invoices.html",
        {
            "producer": producer,
            "profile": profile,
            "problem": problem.message if problem else "",
            "invoices": list(selectors.invoices_for(request.user)[: selectors.LIST_SIZE]),
            "awaiting": list(selectors.awaiting_invoice(request.user)[: selectors.LIST_SIZE]),
            "month": timezone.localdate().strftime("%Y-%m"),
        },
    )


def _own_invoice(request, pk):
    invoice = selectors.invoices_for(request.user).filter(pk=pk).first()
    if invoice is None:
        raise Http404(_("Không tìm thấy hóa đơn."))
    return invoice


@require_safe
@member_required
def invoice_pdf(request, pk):
    invoice = _own_invoice(request, pk)
    name = f"hoa-don-{invoice.symbol}-{invoice.number}.pdf"
    return attachment(pdf.render(invoice), "application/pdf", name)


@require_safe
@member_required
def invoice_xml(request, pk):
    invoice = _own_invoice(request, pk)
    name = senders.file_name(invoice)
    return attachment(bytes(invoice.signed_xml), "application/xml", name)


@require_safe
@member_required
def invoice_export(request):
    """The month's invoices (?thang=YYYY-MM) as the zip for manual upload (senders)."""
    try:
        month = datetime.datetime.strptime(request.GET.get("thang", ""), "%Y-%m").date()
    except ValueError:
        month = timezone.localdate().replace(day=1)
    invoices = selectors.invoices_for(request.user).filter(
        issued_on__year=month.year, issued_on__month=month.month
    )
    body = senders.export_zip(list(invoices.order_by("symbol", "number")))
    return attachment(body, "application/zip", f"hoa-don-{month:%Y-%m}.zip")


@require_POST
@member_required
def invoice_issue(request, sub_pk):
    try:
        invoice = issuing.issue_for_member(request.user, sub_pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã lập hóa đơn %(symbol)s số %(number)s.")
            % {"symbol": invoice.symbol, "number": invoice.number},
        )
    return redirect("portal:invoices")


def _reasoned(request, pk, action, done):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        invoice = action(request.user, pk, reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done % {"symbol": invoice.symbol, "number": invoice.number})
    return redirect("portal:invoices")


@require_POST
@member_required
def invoice_replace(request, pk):
    return _reasoned(
        request, pk, issuing.replace, _("Đã lập hóa đơn thay thế %(symbol)s số %(number)s.")
    )


@require_POST
@member_required
def invoice_cancel(request, pk):
    return _reasoned(request, pk, issuing.cancel, _("Đã hủy hóa đơn %(symbol)s số %(number)s."))


@owner_required
def invoice_settings(request):
    producer = request.portal_producer
    profile = profiles.profile_of(producer)
    initial = {
        "issues_invoices": profile.issues_invoices,
        "template": profile.template,
        "symbol": profile.symbol,
        "vat_rate": profile.vat_rate,
    }
    which = request.POST.get("form") if request.method == "POST" else None
    settings_form = InvoiceSettingsForm(
        request.POST if which == "settings" else None, initial=initial
    )
    certificate_form = CertificateForm(
        request.POST if which == "certificate" else None,
        request.FILES if which == "certificate" else None,
    )
    if which == "settings" and settings_form.is_valid():
        try:
            profiles.save_settings(request.user, producer, **settings_form.cleaned_data)
        except DomainError as exc:
            add_domain_errors(settings_form, exc)
        else:
            messages.success(request, _("Đã lưu thiết lập hóa đơn."))
            return redirect("portal:invoice_settings")
    if which == "certificate" and certificate_form.is_valid():
        try:
            profiles.upload_certificate(
                request.user,
                producer,
                certificate_form.read(),
                certificate_form.cleaned_data["password"],
            )
        except DomainError as exc:
            add_domain_errors(certificate_form, exc)
        else:
            messages.success(request, _("Đã lưu chứng thư số. Mật khẩu không được lưu lại."))
            return redirect("portal:invoice_settings")
    status = 400 if which and (settings_form.errors or certificate_form.errors) else 200
    return render(
        request,
        "portal/invoice_settings.html",
        {
            "producer": producer,
            "profile": profile,
            "settings_form": settings_form,
            "certificate_form": certificate_form,
        },
        status=status,
    )
