"""Portal header bits: the count of new orders waiting for the member."""

from django import template

from producers import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def new_order_count(context) -> int:
    figures = context.get("figures")
    if figures is not None:  # the dashboard has counted already
        return figures.new_orders
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return selectors.new_order_count(user)  # scoped: 0 for anyone without sub-orders
