"""Portal pages about money going back: cancel one line of an unshipped sub-order (after a
confirm step), and answer the returns shoppers ask.

Thin: producers.fulfilment scopes the line to the sub-order in the URL and the member's
producers; marketplace.checkout.services cancels, refunds and answers.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.checkout.errors import CheckoutError
from marketplace.checkout.services import returns
from marketplace.errors import DomainError
from producers import fulfilment, selectors
from producers.portal.views import member_required


@member_required
def line_cancel(request, pk, line_pk):
    """GET: what cancelling the line means (stock back, refund); POST: cancel it."""
    line = fulfilment.member_line(request.user, line_pk, sub_order_id=pk)
    reason = request.POST.get("reason", "")
    errors = []
    if request.method == "POST":
        try:
            sub = fulfilment.cancel_order_line(request.user, line.pk, reason, sub_order_id=pk)
        except DomainError as exc:
            errors = [error.message for error in exc.each()]
        else:
            messages.success(
                request,
                _("Đã hủy %(name)s của đơn %(number)s.")
                % {"name": line.name, "number": sub.order.number},
            )
            return redirect(f"{reverse('portal:orders')}#o{pk}")
    return render(
        request,
        "portal/line_cancel.html",
        {"line": line, "sub": line.sub_order, "reason": reason, "errors": errors},
        status=400 if errors else 200,
    )


@member_required
def return_list(request, failed=None):
    """`failed`: (return id, typed note, messages) after a refused answer, shown on its card."""
    items = list(selectors.returns_for(request.user)[:100])
    for item in items:
        item.note_typed, item.errors = "", []
        if failed and failed[0] == item.pk:
            item.note_typed, item.errors = failed[1], failed[2]
    return render(request, "portal/returns.html", {"returns": items}, status=400 if failed else 200)


@require_POST
@member_required
def return_respond(request, pk):
    accept = request.POST.get("answer") == "accept"
    note = request.POST.get("note", "")
    try:
        item = returns.respond(request.user, pk, accept, note)
    except DomainError as exc:
        if exc.code == CheckoutError.NOT_FOUND:  # not one of the member's returns
            raise Http404(exc.message) from exc
        if exc.code == CheckoutError.RETURN_NOT_OPEN:
            messages.error(request, exc.message)  # answered already (another tab, a colleague)
            return redirect(f"{reverse('portal:returns')}#tra-{pk}")
        return return_list(request, failed=(pk, note, [e.message for e in exc.each()]))
    messages.success(
        request,
        _("Đơn %(number)s: %(status)s.")
        % {"number": item.sub_order.order.number, "status": item.get_status_display()},
    )
    return redirect(f"{reverse('portal:returns')}#tra-{pk}")
