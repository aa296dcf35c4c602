"""The owner's API token page in the portal: make one (shown once), see when each was last
used, revoke. Staff members of the producer and everyone else get the portal's 403 page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.errors import DomainError
from producers import accounts, listings
from producers.models import MemberRole
from producers.portal.views import member_required
from producers.tokens import services


def _owned_producer(request):
    """The producer whose tokens the page shows: `?producer=CODE` or the first one owned."""
    owned = [
        p
        for p in listings.producers_of(request.user).order_by("code")
        if accounts.role_in(request.user, p) == MemberRole.OWNER
    ]
    code = request.GET.get("producer") or request.POST.get("producer")
    if code:
        owned = [p for p in owned if p.code == code]
    return owned[0] if owned else None


@member_required
def tokens(request):
    producer = _owned_producer(request)
    if producer is None:
        return render(request, "portal/denied.html", {"owner_only": True}, status=403)
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
    producer = _owned_producer(request)
    if producer is None:
        return render(request, "portal/denied.html", {"owner_only": True}, status=403)
    try:
        token = services.revoke_token(request.user, producer, pk)
    except DomainError as exc:
        if exc.code == "NOT_FOUND":
            return render(request, "portal/denied.html", status=404)
        raise
    messages.success(request, _("Đã thu hồi mã %(name)s.") % {"name": token.name})
    return redirect(f"{reverse('tokens:list')}?producer={producer.code}")
