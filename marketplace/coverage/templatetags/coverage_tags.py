from fractions import Fraction

from django import template

from marketplace.numbers import percent_text

register = template.Library()


@register.filter
def percent(share, decimals: int = 1) -> str:
    """Fraction(159, 220) → '72,3 %' in Vietnamese (marketplace.numbers rounds it)."""
    return "" if share is None else percent_text(share, decimals)


@register.filter
def cell(value) -> str:
    """A table cell for people: shares (exact fractions) as percentages, dates as dd/mm/yyyy."""
    if isinstance(value, Fraction):
        return percent_text(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)
