"""The platform's refund desk (staff only, Permission.REFUNDS): bank refunds to send, each with
the shopper's account and a VietQR to pay it, marked sent with the bank's reference; and the
returns producers disputed, to decide.

Thin: marketplace.payments.refunds and marketplace.checkout.services.returns decide.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.guards import requires
from marketplace.access import Permission
from marketplace.checkout.errors import CheckoutError
from marketplace.checkout.selectors import disputed_returns
from marketplace.checkout.services import returns
from marketplace.errors import DomainError
from marketplace.payments import offering, refunds, vietqr
from marketplace.payments.errors import PaymentError
from producers.portal.views import member_required

PAGE_SIZE = 200


def staff_desk(view):
    """Anonymous → the portal's sign-in page; anyone but platform staff → 403."""
    return requires(Permission.REFUNDS, login_url="portal:login")(member_required(view))


@staff_desk
def desk(request, failed=None):
    """`failed`: (what, id, typed text, messages) after a refused form, shown on its card."""
    pending = list(refunds.pending_bank_refunds()[:PAGE_SIZE])
    for item in pending:
        account = getattr(item.payment, "refund_account", None)
        item.account = account
        item.bank = offering.bank_for_bin(account.bank_bin) if account else None
        item.transfer_note = f"HOAN TIEN {item.payment.order.number}"
        _typed(item, "refund", failed)
    disputed = list(disputed_returns()[:PAGE_SIZE])
    for item in disputed:
        _typed(item, "return", failed)
    return render(
        request,
        "portal/refund_desk.html",
        {"refunds": pending, "disputed": disputed},
        status=400 if failed else 200,
    )


def _typed(item, what: str, failed) -> None:
    item.typed, item.errors = "", []
    if failed and failed[:2] == (what, item.pk):
        item.typed, item.errors = failed[2], failed[3]


@staff_desk
def refund_qr(request, pk):
    """The VietQR staff scan with the banking app to send the refund."""
    item = refunds.pending_bank_refunds().filter(pk=pk).first()
    content = refunds.transfer_payload(item) if item else ""
    if not content:
        raise Http404(_("Không có khoản hoàn tiền chờ chuyển này."))
    response = HttpResponse(vietqr.png(content), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@staff_desk
def refund_paid(request, pk):
    reference = request.POST.get("bank_reference", "")
    try:
        item = refunds.mark_paid(request.user, pk, reference)
    except DomainError as exc:
        if exc.code == PaymentError.NOT_FOUND:
            raise Http404(exc.message) from exc
        if exc.code == PaymentError.REFUND_NOT_PENDING:
            messages.error(request, exc.message)  # sent already (another tab, a colleague)
            return redirect("portal:refund_desk")
        return desk(request, failed=("refund", pk, reference, [e.message for e in exc.each()]))
    messages.success(
        request,
        _("Đã ghi: hoàn %(number)s, mã giao dịch %(reference)s.")
        % {"number": item.payment.order.number, "reference": item.bank_reference},
    )
    return redirect("portal:refund_desk")


@require_POST
@staff_desk
def return_decide(request, pk):
    accept = request.POST.get("decision") == "accept"
    note = request.POST.get("note", "")
    try:
        item = returns.decide(request.user, pk, accept, note)
    except DomainError as exc:
        if exc.code == CheckoutError.NOT_FOUND:
            raise Http404(exc.message) from exc
        if exc.code == CheckoutError.RETURN_NOT_OPEN:
            messages.error(request, exc.message)  # decided already: no longer on the desk
            return redirect(f"{reverse('portal:refund_desk')}#tra-hang")
        return desk(request, failed=("return", pk, note, [e.message for e in exc.each()]))
    messages.success(
        request,
        _("Đơn %(number)s: %(status)s.")
        % {"number": item.sub_order.order.number, "status": item.get_status_display()},
    )
    return redirect(f"{reverse('portal:refund_desk')}#tra-hang")
