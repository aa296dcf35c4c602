"""Shopper pages: cart, checkout, order confirmation, order lookup. Thin: services decide."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from config.ratelimit import rate_limited
from marketplace.access import public
from marketplace.accounts import selectors as account_selectors
from marketplace.accounts import services as accounts
from marketplace.accounts.session import current_shopper, verified_phone
from marketplace.addresses.conversion import convert_old_address
from marketplace.addresses.models import Ward
from marketplace.addresses.services import AddressInput
from marketplace.checkout import access, forms
from marketplace.checkout.models import Order
from marketplace.checkout.selectors import cart_lines, find_order, order_for_display
from marketplace.checkout.services import returns
from marketplace.checkout.services.carts import add_to_cart, set_cart_quantity
from marketplace.checkout.services.checkout import LineRequest, create_checkout, plan_parts
from marketplace.checkout.services.complete import complete_checkout
from marketplace.errors import DomainError, ValidationFailed
from marketplace.form_errors import add_domain_errors
from marketplace.payments import offering, refunds, vietqr
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod, RefundChannel, RefundStatus

GUEST = "shoppers buy without an account: the cart and checkout are the session's own"
ORDER_OWNER = "the session that placed the order, or its signed-in buyer (404 otherwise)"


def _quantity(raw) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return -1  # the service answers with a clear INVALID_QUANTITY


@require_safe
@public(GUEST)
def cart_view(request):
    cart = access.session_cart(request)
    lines = cart_lines(cart) if cart else []
    subtotal = sum(line.product.price * line.quantity for line in lines)
    return render(request, "checkout/cart.html", {"lines": lines, "subtotal": subtotal})


@rate_limited("cart")
@require_POST
@public(GUEST)
def cart_add(request):
    cart = access.session_cart(request, create=True)
    try:
        add_to_cart(cart, request.POST.get("sku", ""), _quantity(request.POST.get("quantity", 1)))
        messages.success(request, _("Đã thêm vào giỏ hàng."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("checkout:cart")


@rate_limited("cart")
@require_POST
@public(GUEST)
def cart_update(request):
    cart = access.session_cart(request, create=True)
    try:
        set_cart_quantity(
            cart, request.POST.get("sku", ""), _quantity(request.POST.get("quantity"))
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("checkout:cart")


@rate_limited("checkout")
@public(GUEST)
def checkout_view(request):
    cart = access.session_cart(request)
    lines = cart_lines(cart) if cart else []
    if not lines:
        messages.info(request, _("Giỏ hàng đang trống."))
        return redirect("checkout:cart")
    data = request.POST if request.method == "POST" else None
    source = request.POST if data else request.GET
    province_code = source.get("province_code", "")
    initial = {k: source.get(k, "") for k in ("province_code", "ward_code")}
    # "Chọn tỉnh" only reloads the form with that province's wards (works without JavaScript):
    # what was typed comes back as it was, without "required" errors for what is still to do.
    choosing = data is not None and "choose_province" in data
    if choosing:
        initial, data = data.dict(), None
    shopper = current_shopper(request)
    if shopper is not None and not data and not province_code:
        # A signed-in shopper starts from a saved address (?dia-chi=<id>, else the newest).
        saved = account_selectors.checkout_initial(shopper, request.GET.get("dia-chi"))
        if saved:
            initial, province_code = saved, saved["province_code"]
    form = forms.CheckoutForm(data, province_code=province_code, initial=initial)
    errors: list[DomainError] = []
    if data and form.is_valid():
        try:
            order = _place_order(request, form.cleaned_data, lines)
        except ValidationFailed as exc:
            errors = exc.errors
        except DomainError as exc:
            errors = [exc]
        else:
            cart.lines.all().delete()
            access.grant(request, order.number)
            if shopper is not None:
                accounts.remember_address(shopper, order)
            return redirect("checkout:order", number=order.number)
    ward = Ward.objects.filter(pk=source.get("ward_code", ""), province_id=province_code).first()
    priced = [(line.product, line.quantity, line.product.price) for line in lines]
    parts = plan_parts(priced, ward) if ward else None  # fees once the ward is known
    context = {
        "form": form,
        "lines": lines,
        "subtotal": sum(line.product.price * line.quantity for line in lines),
        "errors": errors,
        "parts": parts,
        "shipping": sum(p.fee for p in parts) if parts else None,
    }
    return render(request, "checkout/checkout.html", context)


def _place_order(request, data, lines) -> Order:
    checkout = create_checkout(
        [LineRequest(line.product.sku, line.quantity) for line in lines],
        AddressInput(
            full_name=data["full_name"],
            phone=data["phone"],
            province_code=data["province_code"],
            ward_code=data["ward_code"],
            street_address=data["street_address"],
            postal_code=data["postal_code"],
            vpostcode=data["vpostcode"],
        ),
        email=data["email"],
        phone=data["phone"],
        note=data["note"],
        expected_subtotal=data["confirmed_subtotal"],
    )
    return complete_checkout(checkout.pk, data["payment_method"], user=request.user)


@require_safe
@public("converts an address from public administrative data")
def old_address_view(request):
    """A pre-July-2025 address → the new province and ward, offline; the shopper confirms."""
    form = forms.OldAddressForm(request.GET or None)
    conversion = error = None
    if form.is_bound and form.is_valid():
        try:
            conversion = convert_old_address(**form.cleaned_data)
        except DomainError as exc:
            error = exc.message
    return render(
        request,
        "checkout/old_address.html",
        {"form": form, "conversion": conversion, "error": error},
    )


def _allowed_order(request, number) -> Order:
    """The order this browser placed or looked up, or its signed-in buyer's (an account, or a
    shopper whose verified phone placed it); else 404."""
    phone = verified_phone(request)
    allowed = (
        number in access.granted(request)
        or (
            request.user.is_authenticated
            and Order.objects.filter(number=number, user=request.user).exists()
        )
        or (phone is not None and Order.objects.filter(number=number, phone=phone).exists())
    )
    if not allowed:
        raise Http404(_("Không tìm thấy đơn hàng."))
    try:
        return order_for_display(number)
    except Order.DoesNotExist:
        raise Http404(_("Không tìm thấy đơn hàng."))


# While a transfer is awaited the page reloads itself (no script) until the statement is in.
VIETQR_REFRESH_SECONDS = 15


@require_safe
@public(ORDER_OWNER)
def order_view(request, number):
    order = _allowed_order(request, number)
    payment = order.payment
    if payment.method == "stripe" and not payment.stripe_payment_intent:
        payments.start_payment(payment)  # Stripe was unreachable when the order was placed
    return _order_page(request, order)


def _order_page(request, order, *, account_form=None, return_form=None, return_sub_id=None):
    """The order page; after a refused refund account or return, with that form as typed."""
    payment = order.payment
    problem = payments.payment_problem(payment)
    awaiting_transfer = payment.method == "vietqr" and payment.status != "paid"
    auto_refresh = awaiting_transfer and request.GET.get("tu-cap-nhat") != "tat"
    # Bank and account as the QR itself carries them (settings may have changed since).
    consumer = vietqr.parse(payment.vietqr_payload).consumer if payment.vietqr_payload else None
    subs = list(order.sub_orders.all())
    for sub in subs:
        sub.return_form = None
        if sub.pk == return_sub_id:
            sub.return_form = return_form
        elif returns.can_request(sub):
            sub.return_form = forms.ReturnForm(lines=_live_lines(sub), prefix=f"r{sub.pk}")
    waiting = any(
        r.channel == RefundChannel.BANK and r.status == RefundStatus.PENDING
        for sub in subs
        for r in sub.refunds.all()
    )
    saved = getattr(payment, "refund_account", None)
    if account_form is None and waiting:
        initial = (
            {f: getattr(saved, f) for f in ("bank_bin", "account_number", "holder_name")}
            if saved
            else None
        )
        account_form = forms.RefundAccountForm(initial=initial)
    response = render(
        request,
        "checkout/order.html",
        {
            "order": order,
            "sub_orders": subs,
            "awaiting_transfer": awaiting_transfer,
            "auto_refresh": auto_refresh,
            "refresh_seconds": VIETQR_REFRESH_SECONDS,
            "bank_bin": consumer.bank_bin if consumer else "",
            "bank": offering.bank_for_bin(consumer.bank_bin) if consumer else None,
            "vietqr_account": consumer.bank_number if consumer else "",
            "vietqr_name": settings.VIETQR_ACCOUNT_NAME,
            "stripe_key": settings.STRIPE_PUBLISHABLE_KEY,
            "payment_problem": problem.message if problem else "",
            "other_methods": _other_methods(payment),
            "refund_account": saved,
            "refund_bank": offering.bank_for_bin(saved.bank_bin) if saved else None,
            "account_form": account_form,
            "return_window_days": settings.RETURN_WINDOW_DAYS,
        },
    )
    if auto_refresh:
        # The HTTP form of <meta http-equiv="refresh"> (the HTML standard treats both alike),
        # with a link on the page to stop it (WCAG 2.2.1).
        response["Refresh"] = str(VIETQR_REFRESH_SECONDS)
    return response


def _live_lines(sub):
    return [line for line in sub.lines.all() if line.cancelled_at is None]


@rate_limited("checkout")
@require_POST
@public(ORDER_OWNER)
def order_refund_account_view(request, number):
    """The shopper's bank account for the order's bank refunds."""
    order = _allowed_order(request, number)
    form = forms.RefundAccountForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            refunds.set_refund_account(
                order.payment, data["bank_bin"], data["account_number"], data["holder_name"]
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu tài khoản nhận tiền hoàn."))
            return redirect(f"{reverse('checkout:order', args=[order.number])}#hoan-tien")
    return _order_page(request, order, account_form=form)


@rate_limited("checkout")
@require_POST
@public(ORDER_OWNER)
def order_return_view(request, number, sub_pk):
    """The shopper sends a delivered part of the order back (some units, or all of it)."""
    order = _allowed_order(request, number)
    sub = next((s for s in order.sub_orders.all() if s.pk == sub_pk), None)
    if sub is None:
        raise Http404(_("Không tìm thấy đơn hàng."))
    form = forms.ReturnForm(request.POST, lines=_live_lines(sub), prefix=f"r{sub.pk}")
    if form.is_valid():
        try:
            returns.request_return(
                order, sub.pk, form.cleaned_data["reason"], quantities=form.quantities()
            )
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi yêu cầu trả hàng cho người bán."))
            return redirect(f"{reverse('checkout:order', args=[order.number])}#p{sub.pk}")
    return _order_page(request, order, return_form=form, return_sub_id=sub.pk)


def _other_methods(payment) -> list[tuple[str, str]]:
    """The ways the shopper may switch to: only before any money moved or a card was started."""
    if payment.status == "paid" or payment.amount_received or payment.stripe_payment_intent:
        return []
    offered = offering.offered_methods()
    return [
        (value, label)
        for value, label in PaymentMethod.choices
        if value in offered and value != payment.method
    ]


@require_safe
@public(ORDER_OWNER)
def order_qr_view(request, number):
    """The VietQR code as a PNG: shown on the order page and saved from its link."""
    order = _allowed_order(request, number)
    if not order.payment.vietqr_payload:
        raise Http404(_("Đơn hàng này không thanh toán bằng VietQR."))
    response = HttpResponse(vietqr.png(order.payment.vietqr_payload), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@rate_limited("checkout")
@require_POST
@public(ORDER_OWNER)
def order_pay_view(request, number):
    """Pay another way (after a card failure, or a change of mind before paying)."""
    order = _allowed_order(request, number)
    try:
        payment = payments.change_method(order.payment, request.POST.get("method", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        payments.start_payment(payment)
        messages.success(
            request,
            _("Đã đổi cách thanh toán: %(method)s.") % {"method": payment.get_method_display()},
        )
    return redirect("checkout:order", number=order.number)


@rate_limited("order-lookup")  # shared with GraphQL `order`
@public("the order number and the phone it was placed with, rate-limited per attempt")
def order_lookup_view(request):
    form = forms.OrderLookupForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            order = find_order(form.cleaned_data["number"], form.cleaned_data["phone"])
        except DomainError as exc:
            error = exc.message
        else:
            access.grant(request, order.number)
            return redirect(reverse("checkout:order", args=[order.number]))
    return render(request, "checkout/lookup.html", {"form": form, "error": error})
