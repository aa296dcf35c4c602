"""Shopper account pages: sign in by SMS code, order history, saved addresses, reorder.

Thin: marketplace.accounts.services decides; the session holds the shopper (session.py).
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from config.ratelimit import limit_exempt, rate_limited
from marketplace.access import public
from marketplace.accounts import selectors, services, session
from marketplace.accounts.forms import CodeForm, PhoneForm
from marketplace.addresses.phones import display_phone, normalize_phone
from marketplace.checkout import access
from marketplace.errors import DomainError

PENDING_PHONE = "shopper_pending_phone"


def shopper_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        shopper = session.current_shopper(request)
        if shopper is None:
            return redirect("accounts:signin")
        return view(request, shopper, *args, **kwargs)

    return wrapper


SIGN_IN = "signing in by SMS code: anyone may ask for a code for a phone they hold"
OWN = "a signed-in shopper's own rows only; anyone else is sent to sign in"


@rate_limited("shopper-code")  # each POST may send an SMS
@public(SIGN_IN)
def signin(request):
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_code(form.cleaned_data["phone"])
        except DomainError as exc:
            form.add_error("phone", exc.message)
        else:
            request.session[PENDING_PHONE] = normalize_phone(form.cleaned_data["phone"])
            return redirect("accounts:code")
    return render(request, "accounts/signin.html", {"form": form})


@rate_limited("shopper-signin")  # codes typed in; each code also counts its own tries
@public(SIGN_IN)
def code(request):
    phone = request.session.get(PENDING_PHONE)
    if not phone:
        return redirect("accounts:signin")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            shopper = services.sign_in(phone, form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            session.sign_in(request, shopper)
            request.session.pop(PENDING_PHONE, None)
            # Linked at sign-in: the phone's orders open without looking each one up.
            for order in selectors.order_history(shopper)[: access.MAX_GRANTS]:
                access.grant(request, order.number)
            messages.success(request, _("Đã đăng nhập."))
            return redirect("accounts:home")
    return render(
        request, "accounts/code.html", {"form": form, "phone_display": display_phone(phone)}
    )


@require_POST
@limit_exempt("ends the caller's own shopper session")
@public("ends the caller's own session")
def signout(request):
    session.sign_out(request)
    return redirect("storefront:home")


@require_safe
@public(OWN)
@shopper_required
def home(request, shopper):
    return render(
        request,
        "accounts/home.html",
        {
            "shopper": shopper,
            "phone_display": display_phone(shopper.phone),
            "orders": selectors.order_history(shopper),
            "addresses": selectors.saved_addresses(shopper),
        },
    )


@rate_limited("shopper")
@require_POST
@public(OWN)
@shopper_required
def address_delete(request, shopper, pk):
    try:
        services.delete_address(shopper, pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:home")


@rate_limited("shopper")
@require_POST
@public(OWN)
@shopper_required
def reorder(request, shopper, number):
    try:
        result = services.reorder(shopper, number, access.session_cart(request, create=True))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:home")
    if result.added:
        messages.success(
            request, _("Đã thêm vào giỏ: %(names)s.") % {"names": ", ".join(result.added)}
        )
    for reason in result.skipped:
        messages.warning(request, reason)
    return redirect("checkout:cart")
