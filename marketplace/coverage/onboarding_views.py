"""Office pages for onboarding: the call list of registered producers without an account, and
inviting a producer's first owner by phone (producers.invitations.create_producer_owner).

The set-password link goes to the owner's own phone by SMS (and email); it is never shown to the
office, who only learn that it was sent.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.guards import requires
from marketplace.access import Permission
from marketplace.addresses.phones import display_phone, normalize_phone
from marketplace.errors import DomainError
from producers import invitations, onboarding


class OwnerInviteForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("Số điện thoại chủ tài khoản"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=gettext_lazy("Email (không bắt buộc)"), required=False)


# The trade office and platform staff; anonymous → the office's sign-in page, others → 403.
office_or_staff_required = requires(Permission.ONBOARD, login_url="coverage:login")


def _suggested_phone(producer) -> str:
    try:
        return display_phone(normalize_phone(producer.phone))
    except DomainError:
        return ""


@office_or_staff_required
def call_list(request):
    rows = onboarding.in_calling_order(onboarding.call_list()[:500])
    for producer in rows:
        producer.form = OwnerInviteForm(
            initial={"phone": _suggested_phone(producer)}, prefix=producer.code
        )
    return render(request, "coverage/call_list.html", {"producers": rows})


@require_POST
@office_or_staff_required
def invite_owner(request, code: str):
    producer = onboarding.call_list().filter(code=code).first()
    if producer is None:
        raise Http404(_("Không có chủ thể này trong danh sách cần mời."))
    form = OwnerInviteForm(request.POST, prefix=code)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, f"{producer.name}: {' '.join(errors)}")
        return redirect(f"{reverse('coverage:call_list')}#p-{code}")
    try:
        invitation = invitations.create_producer_owner(
            code, actor=request.user, **form.cleaned_data
        )
    except DomainError as exc:
        messages.error(request, f"{producer.name}: {exc.message}")
        return redirect(f"{reverse('coverage:call_list')}#p-{code}")
    sent = ", ".join(invitation.sent_to)
    if invitation.is_request:
        text = _("%(name)s: số này đã có tài khoản; đã gửi lời mời làm chủ tài khoản tới %(to)s.")
    else:
        text = _("%(name)s: đã tạo tài khoản và gửi đường dẫn đặt mật khẩu tới %(to)s.")
    messages.success(request, text % {"name": producer.name, "to": sent})
    return redirect("coverage:call_list")
