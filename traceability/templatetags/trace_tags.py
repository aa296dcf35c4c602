from django import template

from traceability import vocab

register = template.Library()


@register.filter
def step_label(value: str) -> str:
    return vocab.biz_step_label(value)


@register.filter
def disposition_label(value: str) -> str:
    return vocab.disposition_label(value)


@register.filter
def unit_label(value: str) -> str:
    return str(vocab.UNITS.get(value, value))


@register.filter
def stars(count: int) -> str:
    return "★" * int(count or 0)
