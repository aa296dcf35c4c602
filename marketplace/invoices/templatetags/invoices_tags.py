from collections import defaultdict

from django import template

from marketplace.invoices import selectors

register = template.Library()


@register.simple_tag
def invoices_by_sub_order(order) -> dict[int, list]:
    """The order's e-invoices per sub-order id (one query), for the buyer's order page."""
    grouped = defaultdict(list)
    for invoice in selectors.for_order(order):
        grouped[invoice.sub_order_id].append(invoice)
    return dict(grouped)


@register.filter
def of_sub(grouped: dict, sub_id: int) -> list:
    return grouped.get(sub_id, [])
