"""The trade office's call list: producers in the provincial register with no working account.

A producer is on the list until one of its owners has set a password; each row says whether an
invitation is already out (a new account waiting for its first password, or a request to an
existing account waiting for an answer).
"""

from django.db.models import Count, Exists, OuterRef, Q

from marketplace.text import vi_sort_key
from producers.models import MemberRole, Membership, MembershipRequest, Producer, RequestStatus

# Django marks an account without a usable password by a leading "!".
_NO_PASSWORD = Q(user__password__startswith="!")


def call_list():
    owners = Membership.objects.filter(producer=OuterRef("pk"), role=MemberRole.OWNER)
    return (
        Producer.objects.filter(register_entries__isnull=False)
        .annotate(
            register_rows=Count("register_entries", distinct=True),
            has_owner=Exists(owners.exclude(_NO_PASSWORD)),
            link_sent=Exists(owners.filter(_NO_PASSWORD)),
            request_sent=Exists(
                MembershipRequest.objects.filter(
                    producer=OuterRef("pk"), role=MemberRole.OWNER, status=RequestStatus.PENDING
                )
            ),
        )
        .filter(has_owner=False)
        .select_related("ward")
        .order_by("ward__name", "name")
    )


def in_calling_order(producers) -> list[Producer]:
    """By ward, then name, as a Vietnamese reader looks them up ("Xã Ô Lâm" under Ô)."""
    return sorted(producers, key=lambda p: (vi_sort_key(p.ward.short_name), vi_sort_key(p.name)))
