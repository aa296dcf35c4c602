"""The owner's API token page in the portal: make one (shown once), see when each was last
used, revoke. It works on the portal's chosen producer (producers.portal.scope); staff
members of that producer and everyone else get the portal's 403 page (owner_required)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from producers.portal.views import owner_required
from producers.tokens import services


@owner_required
def tokens(request):
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
@owner_required
def revoke(request, pk: int):
    token = services.revoke_token(request.user, request.portal_producer, pk)  # else 404
    messages.success(request, _("Đã thu hồi mã %(name)s.") % {"name": token.name})
    return redirect("tokens:list")
