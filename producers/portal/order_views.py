"""Portal order pages: the order cards a seller works from, actions, and shipping slips.

Thin: producers.fulfilment scopes and loads, checkout.services moves the status and checks
payment, carrier, tracking number and lots; producers.slips draws the PDF.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.checkout.models import OrderStatus
from marketplace.checkout.payment_state import awaiting, cod_amount, payment_state
from marketplace.errors import DomainError
from producers import fulfilment, selectors, slips
from producers.errors import ProducerError
from producers.portal.forms import CARRIERS, OrderActionForm
from producers.portal.views import member_required

PAGE_SIZE = 100
# Filters the dashboard links to, beside the plain statuses.
PAYMENT_FILTERS = {"cho-thanh-toan": "AWAITING"}  # ?thanh-toan=cho-thanh-toan


def _card(sub):
    """What a card shows beyond the rows: payment state, amount to collect, Zalo digits."""
    payment = getattr(sub.order, "payment", None)
    sub.payment_state = str(payment_state(payment))
    sub.payment_method = payment.get_method_display() if payment else ""
    sub.cod = cod_amount(sub, payment)
    sub.phone_digits = sub.order.phone_display.replace(" ", "")
    return sub


@member_required
def orders(request):
    status = request.GET.get("trang-thai", "")
    payment = PAYMENT_FILTERS.get(request.GET.get("thanh-toan", ""))
    today = request.GET.get("ngay") == "hom-nay"
    sub_orders = selectors.sub_orders_for(request.user)
    if status in OrderStatus.values:
        sub_orders = sub_orders.filter(status=status)
    if payment:
        sub_orders = sub_orders.filter(awaiting("order__payment__"), status__in=selectors.OPEN)
    if today:
        sub_orders = selectors.placed_today(sub_orders)
    cards = [_card(s) for s in sub_orders[:PAGE_SIZE]]
    return render(
        request,
        "portal/orders.html",
        {
            "sub_orders": selectors.with_lot_choices(cards),
            "statuses": OrderStatus.choices,
            "status": status,
            "carriers": CARRIERS,
            "printable": [c.pk for c in cards if c.status == OrderStatus.CONFIRMED],
        },
    )


def _chosen_lots(post) -> dict[int, list[int]] | None:
    """`lots-<line id>` checkboxes → {line id: [lot ids]}; None when the form sent none."""
    chosen = {}
    for key in post:
        name, _sep, line = key.partition("-")
        if name == "lots" and line.isdigit():
            chosen[int(line)] = [int(v) for v in post.getlist(key) if v.isdigit()]
    return chosen or None


@require_POST
@member_required
def order_action(request, pk):
    form = OrderActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thông tin gửi lên không hợp lệ, hãy thử lại."))
        return redirect("portal:orders")
    data = form.cleaned_data
    try:
        sub = fulfilment.advance_sub_order(
            request.user,
            pk,
            data["action"],
            carrier=data["carrier"],
            tracking_number=data["tracking_number"],
            reason=data["reason"],
            lots=_chosen_lots(request.POST) if data["action"] == "ship" else None,
        )
    except DomainError as exc:
        if exc.code == ProducerError.NOT_FOUND and exc.field == "order":
            raise
        for error in exc.each():
            messages.error(request, error.message)
        return redirect(f"{reverse('portal:orders')}#o{pk}")
    messages.success(
        request,
        _("Đơn %(number)s: %(status)s.")
        % {"number": sub.order.number, "status": sub.get_status_display()},
    )
    return redirect(f"{reverse('portal:orders')}#o{pk}")


def _pdf(subs, name: str) -> HttpResponse:
    response = HttpResponse(slips.slips_pdf(subs), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"{name}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@member_required
def slip(request, pk):
    try:
        subs = selectors.slips_for(request.user, [pk])
    except DomainError as exc:
        if exc.code == ProducerError.NOT_FOUND:
            raise
        messages.error(request, exc.message)
        return redirect(f"{reverse('portal:orders')}#o{pk}")
    return _pdf(subs, f"phieu-gui-{subs[0].order.number}")


@member_required
def slips_batch(request):
    ids = [int(v) for v in request.GET.getlist("don") if v.isdigit()][:PAGE_SIZE]
    try:
        subs = selectors.slips_for(request.user, ids)
    except DomainError as exc:
        if exc.code == ProducerError.NOT_FOUND:
            raise
        messages.error(request, exc.message)
        return redirect("portal:orders")
    return _pdf(subs, "phieu-gui")
