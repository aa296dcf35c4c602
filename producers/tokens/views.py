"""The owner's API token page in the portal: make one (shown once), see when each was last
used, revoke. It works on the portal's chosen producer (producers.portal.scope); staff
members of that producer and everyone else get the portal's 403 page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from producers import accounts
from producers.models import MemberRole
from producers.portal.views import member_required
from producers.tokens import services


def _refusal(request):
    """None when the user owns the portal's chosen producer, else the page to answer with."""
    producer = request.portal_producer
    if producer is None:  # staff who have not picked a producer yet
        return render(request, "portal/choose_producer.html")
    if accounts.role_in(request.user, producer) != MemberRole.OWNER:
        return render(request, "portal/denied.html", {"owner_only": True}, status=403)
    return None


@member_required
def tokens(request):
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    producer = request.portal_producer
    new = None
    if request.method == "POST":
        new = services.create_token(producer, request.POST.get("name", ""), created_by=request.user)
    return render(
        request,
        "tokens/tokens.html",
        {"producer": producer, "tokens": services.tokens_for(request.user, producer), "new": new},
    )


@require_POST
@member_required
def revoke(request, pk: int):
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    token = services.revoke_token(request.user, request.portal_producer, pk)  # else 404
    messages.success(request, _("Đã thu hồi mã %(name)s.") % {"name": token.name})
    return redirect("tokens:list")
