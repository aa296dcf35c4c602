"""Which producer the portal is working on: chosen by the user, remembered in the session.

A member of several producers picks one (the switcher in the header); every portal page then
sees only that producer, because `marketplace.access.scope` narrows every for_member()
query to it. A choice that is not one of the user's producers is a 404 and is never stored.
Staff may pick any producer; until they do they see all of them (moderation).
"""

from django.http import Http404

from marketplace import access
from marketplace.access import CHOSEN_PRODUCER_ATTR
from marketplace.text import vi_sort_key
from producers.models import Producer

SESSION_KEY = "portal_producer"


def narrow(request) -> bool:
    """Apply the session's choice (default: the first of the member's producers); returns
    whether the user may use the portal at all (a member of some producer, or staff)."""
    user = request.user
    mine = sorted(
        Producer.objects.for_member(user).only("pk", "code", "name"),
        key=lambda p: vi_sort_key(p.name),
    )
    code = request.session.get(SESSION_KEY)
    producer = next((p for p in mine if p.code == code), None)
    if producer is None and code is not None:
        del request.session[SESSION_KEY]  # no longer theirs (membership ended)
    staff = access.is_platform_staff(user)
    if producer is None and not staff and mine:
        producer = mine[0]
    request.portal_producers = mine  # all of the user's, for the switcher
    request.portal_producer = producer
    if producer is not None:
        setattr(user, CHOSEN_PRODUCER_ATTR, producer.pk)
    # A member of some producer, or platform staff: Permission.PORTAL, its query already made.
    return staff or bool(mine)


def choose(request, code: str) -> Producer:
    """Remember `code` as the working producer if it is one of the user's; else 404."""
    producer = next((p for p in request.portal_producers if p.code == code), None)
    if producer is None:
        raise Http404("Không tìm thấy chủ thể.")
    request.session[SESSION_KEY] = producer.code
    return producer
