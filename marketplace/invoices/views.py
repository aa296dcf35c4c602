"""The buyer's public invoice pages: the lookup form, an invoice by its lookup code, its PDF
and its XML. The code is 60 random bits and every request here counts against
`invoice-lookup`, so codes cannot be guessed."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from config.ratelimit import rate_limited
from marketplace.access import public
from marketplace.invoices import document, pdf, selectors, signing
from marketplace.invoices.issuing import normal_lookup_code

BY_CODE = "an invoice is reached only by its random lookup code, rate-limited per request"


def _invoice(code: str):
    invoice = selectors.by_lookup_code(normal_lookup_code(code))
    if invoice is None:
        raise Http404(_("Không tìm thấy hóa đơn."))
    return invoice


@rate_limited("invoice-lookup")
@public(BY_CODE)
@require_http_methods(["GET", "HEAD", "POST"])
def lookup_view(request):
    code, error = "", None
    if request.method == "POST":
        code = request.POST.get("code", "")[:40]
        invoice = selectors.by_lookup_code(normal_lookup_code(code))
        if invoice is not None:
            return redirect("invoices:detail", code=invoice.lookup_code)
        error = _("Không có hóa đơn nào với mã tra cứu này. Hãy kiểm tra lại từng ký tự.")
    return render(request, "invoices/lookup.html", {"code": code, "error": error})


@rate_limited("invoice-lookup", methods=("GET", "HEAD"))
@public(BY_CODE)
@require_safe
def detail_view(request, code):
    invoice = _invoice(code)
    xml = bytes(invoice.signed_xml)
    data = document.read(xml)
    replacement = getattr(invoice, "replaced_by", None) if invoice.status == "replaced" else None
    return render(
        request,
        "invoices/detail.html",
        {
            "invoice": invoice,
            "data": data,
            "signer": signing.signer_name(xml),
            "verified": signing.verifies(xml, invoice.issued_at),
            "replacement": replacement,
        },
    )


def _file(invoice, body: bytes, content_type: str, extension: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    name = f"hoa-don-{invoice.symbol}-{invoice.number}.{extension}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@rate_limited("invoice-lookup", methods=("GET", "HEAD"))
@public(BY_CODE)
@require_safe
def pdf_view(request, code):
    invoice = _invoice(code)
    return _file(invoice, pdf.render(invoice), "application/pdf", "pdf")


@rate_limited("invoice-lookup", methods=("GET", "HEAD"))
@public(BY_CODE)
@require_safe
def xml_view(request, code):
    invoice = _invoice(code)
    return _file(invoice, bytes(invoice.signed_xml), "application/xml", "xml")
