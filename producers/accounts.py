"""Producer members' accounts: phone-or-email sign-in, roles (invitations: producers.invitations).

A member signs in with a Vietnamese phone number or an email address. Phone accounts keep the
normalised number (+84…) as their username, so one lookup finds them whatever way it was typed.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from marketplace.addresses.phones import normalize_phone
from marketplace.errors import DomainError
from marketplace.text import nfc
from producers.models import Producer


def find_user(identifier: str):
    """The active user signing in as `identifier` (email, phone or username), or None."""
    User = get_user_model()
    identifier = nfc(identifier)
    if not identifier:
        return None
    if "@" in identifier:
        return User.objects.filter(email__iexact=identifier, is_active=True).order_by("pk").first()
    try:
        username = normalize_phone(identifier)
    except DomainError:
        username = identifier
    return User.objects.filter(username=username, is_active=True).first()


@transaction.atomic
def set_producers_active(producers, active: bool) -> int:
    """Staff moderation: approve (active) or suspend producer accounts; returns how many changed.

    A suspended producer's members keep their portal, but nothing of theirs can be published
    (catalog.services.publish_product) and the storefront hides their listings.
    """
    # One save each, not a bulk update: the caches of what the storefront and the office count
    # hear of it through the save signal (a handful of producers at a time).
    changing = (
        Producer.objects.select_for_update()
        .filter(pk__in=[p.pk for p in producers])
        .exclude(is_active=active)
    )
    for producer in changing:
        producer.is_active = active
        producer.save(update_fields=["is_active", "updated_at"])
    return len(changing)
