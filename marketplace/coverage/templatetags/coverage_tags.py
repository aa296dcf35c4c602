from django import template

from marketplace.coverage.charts import percent_text

register = template.Library()


@register.filter
def percent(share: float | None, decimals: int = 1) -> str:
    """0.7175 → '71,8 %' in Vietnamese (the locale picks the decimal mark)."""
    return "" if share is None else percent_text(share, decimals)


@register.filter
def cell(value) -> str:
    """A table cell for people: shares as percentages, dates as dd/mm/yyyy."""
    if isinstance(value, float):
        return percent_text(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return "" if value is None else str(value)
