"""Reads: a member's invoices, the deliveries still waiting for one, an order's invoices and the
public lookup by code."""

from marketplace.checkout.models import OrderStatus, SubOrder
from marketplace.invoices.models import Invoice, InvoiceStatus

LIST_SIZE = 100


def invoices_for(user):
    """The invoices of the producers the user manages (the portal's chosen one), newest first."""
    return (
        Invoice.objects.for_member(user)
        .select_related("sub_order__order", "producer", "replaces")
        .order_by("-issued_at", "-id")
    )


def awaiting_invoice(user=None):
    """Delivered sub-orders of producers that issue invoices, with no invoice standing or
    cancelled (a replaced one was followed by its replacement): the user's, or all of them."""
    subs = SubOrder.objects.for_member(user) if user is not None else SubOrder.objects.all()
    return (
        subs.filter(status=OrderStatus.DELIVERED, producer__invoice_profile__issues_invoices=True)
        .exclude(invoices__status__in=[InvoiceStatus.ISSUED, InvoiceStatus.CANCELLED])
        .select_related("order")
        .order_by("-delivered_at", "-id")
    )


def for_order(order) -> list[Invoice]:
    """What the buyer's order page lists: each sub-order's invoices, replacements included."""
    return list(
        Invoice.objects.filter(sub_order__order=order)
        .select_related("producer", "replaces")
        .order_by("sub_order_id", "issued_at", "id")
    )


def by_lookup_code(code: str) -> Invoice | None:
    if not code:
        return None
    return (
        Invoice.objects.filter(lookup_code=code)
        .select_related("producer", "sub_order__order", "replaces")
        .first()
    )
