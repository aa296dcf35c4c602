"""Portal pages about one's own account: picking the working producer, answering invitations,
setting a first password from a one-time link, resetting a password by an SMS code.

Thin: the rules are in producers.invitations and producers.onetime.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.guards import requires
from config.ratelimit import rate_limited
from marketplace.access import Permission, is_office, is_platform_staff, public
from marketplace.errors import DomainError
from marketplace.form_errors import add_domain_errors
from producers import invitations, onetime
from producers.errors import ProducerError
from producers.portal import scope
from producers.portal.forms import NewPasswordForm, PhoneCodeForm, PhoneForm
from producers.portal.views import member_required

PHONE_SESSION_KEY = "portal_reset_phone"
BACKEND = settings.AUTHENTICATION_BACKENDS[0]  # the session must name a configured backend


@require_POST
@member_required
def choose_producer(request):
    code = request.POST.get("producer", "")
    if code == "" and is_platform_staff(request.user):
        request.session.pop(scope.SESSION_KEY, None)  # staff: back to every producer
    else:
        producer = scope.choose(request, code)
        messages.success(request, _("Đang làm việc với %(name)s.") % {"name": producer.name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "portal:dashboard"
    return redirect(target)


@requires(Permission.SIGNED_IN)
def requests(request):
    return render(
        request,
        "portal/requests.html",
        {"requests": list(invitations.pending_requests(request.user))},
    )


@require_POST
@requires(Permission.SIGNED_IN)
def request_answer(request, pk):
    accept = request.POST.get("action") == "accept"
    try:
        answered = invitations.answer_request(request.user, pk, accept)
    except DomainError as exc:
        if exc.code == ProducerError.NOT_FOUND:
            raise Http404(exc.message)
        messages.error(request, exc.message)
        return redirect("portal:requests")
    where = answered.producer.name if answered.producer else _("Sở Công Thương")
    if not accept:
        messages.success(request, _("Đã từ chối lời mời của %(name)s.") % {"name": where})
        return redirect("portal:requests")
    messages.success(request, _("Đã tham gia %(name)s.") % {"name": where})
    if answered.producer is None:
        return redirect("coverage:dashboard")
    request.session[scope.SESSION_KEY] = answered.producer.code
    return redirect("portal:dashboard")


@rate_limited("set-password-link")
@public("the single-use set-password link is the credential")
def activate(request, token):
    """A new account's one-time link: set the first password, then signed in."""
    try:
        user = onetime.link_user(token)
    except DomainError as exc:
        return render(request, "portal/link_invalid.html", {"message": exc.message}, status=410)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = onetime.set_password_with_link(token, form.cleaned_data["new_password1"])
        except DomainError as exc:
            if exc.code == ProducerError.LINK_INVALID:
                return render(
                    request, "portal/link_invalid.html", {"message": exc.message}, status=410
                )
            add_domain_errors(form, exc)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, _("Đã đặt mật khẩu. Chào mừng bạn!"))
            if is_office(user) and not user.memberships.exists():
                return redirect("coverage:dashboard")
            return redirect("portal:dashboard")
    return render(request, "portal/activate.html", {"form": form, "account": user})


@rate_limited("password-reset")  # each request may send an SMS
@public("asking for a reset code by SMS; the code goes to the account's phone")
def phone_reset(request):
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            onetime.request_phone_code(phone)
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            request.session[PHONE_SESSION_KEY] = phone
            return redirect("portal:phone_reset_code")
    return render(request, "portal/phone_reset.html", {"form": form})


@rate_limited("reset-code")  # with the per-code attempt limit in producers.onetime
@public("the one-time SMS code is the credential (attempts limited)")
def phone_reset_code(request):
    phone = request.session.get(PHONE_SESSION_KEY)
    if not phone:
        return redirect("portal:phone_reset")
    form = PhoneCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            onetime.reset_password_with_code(phone, data["code"], data["new_password1"])
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            del request.session[PHONE_SESSION_KEY]
            messages.success(request, _("Đã đổi mật khẩu. Hãy đăng nhập bằng mật khẩu mới."))
            return redirect("portal:login")
    return render(
        request,
        "portal/phone_reset_code.html",
        {"form": form, "phone": phone, "minutes": int(onetime.CODE_LIFETIME.total_seconds() // 60)},
    )
