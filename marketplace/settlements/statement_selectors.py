"""Reads of statements and payouts: scoped to the producers a user manages, with what each page
needs fetched in a fixed number of queries."""

from django.db.models import F

from marketplace import access
from marketplace.settlements.models import LineCharge, PayoutBatch, Statement, StatementEvent

LIST_SIZE = 60


def statements_for(user):
    """The statements of the user's producers (the portal's chosen one; staff: all), newest
    first, each with `paid_at` (None until its payout batch is marked paid)."""
    return (
        access.scope(Statement.objects.all(), user, "producer")
        .select_related("producer")
        .annotate(paid_at=F("payout__batch__paid_at"))
        .order_by("-period_end", "producer__code")
    )


def lines_of(statement: Statement):
    """The per-line section: each LineCharge of the statement's events, with its order."""
    return (
        LineCharge.objects.filter(
            key__in=StatementEvent.objects.filter(statement=statement).values("key")
        )
        .select_related("line", "sub_order__order")
        .order_by("on", "sub_order_id", "line_id", "id")
    )


def unpaid_statements():
    """Issued statements no payout batch holds yet, with something to pay."""
    return (
        Statement.objects.filter(payout__isnull=True, net__gt=0)
        .select_related("producer__payout_account")
        .order_by("period_end", "producer__code")
    )


def batch_items(batch: PayoutBatch):
    return batch.items.select_related("statement", "producer").order_by("producer__code", "id")
