"""Formatting for the shopper's pages: đồng, weights, OCOP labels, responsive thumbnails."""

import datetime
from fractions import Fraction

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace.catalog.thumbnails import THUMBNAIL_SIZES
from marketplace.language.services import localized_name
from marketplace.money import format_vnd
from marketplace.numbers import decimal_text
from producers.models import ProducerKind

register = template.Library()

NBSP = "\u00a0"

# The model's choice labels are plain Vietnamese; marking them here lets English pages translate.
KIND_LABELS = {
    ProducerKind.HOP_TAC_XA: _("Hợp tác xã"),
    ProducerKind.DOANH_NGHIEP: _("Doanh nghiệp"),
    ProducerKind.HO_KINH_DOANH: _("Hộ kinh doanh"),
    ProducerKind.CO_SO: _("Cơ sở sản xuất"),
}


@register.filter
def vnd(value) -> str:
    """Integer đồng the Vietnamese way: 125000 → '125.000 ₫' (non-breaking space)."""
    if value is None or value == "":
        return ""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return format_vnd(amount)


@register.filter
def grams(value) -> str:
    """Net weight: 500 → '500 g', 1000 → '1 kg', 1500 → '1,5 kg' ('1.5 kg' in English);
    0 (unknown) → ''."""
    if not value:
        return ""
    if value < 1000:
        return f"{value}{NBSP}g"
    return f"{decimal_text(Fraction(value, 1000), 3, strip_zeros=True)}{NBSP}kg"


@register.filter
def star_string(stars) -> str:
    return "★" * int(stars or 0)


@register.filter
def localized(obj) -> str:
    """OCOP groups and sets carry an English name beside the Vietnamese one."""
    return localized_name(obj)


@register.filter
def kind_label(kind: str) -> str:
    label = KIND_LABELS.get(kind)
    return str(label) if label else kind


@register.filter
def valid_on(certificate, day: datetime.date) -> bool:
    return certificate is not None and certificate.is_valid_on(day)


def _thumbnail_width(image, size: int) -> int:
    """Thumbnails fit the longest edge into `size` and are never enlarged."""
    scale = min(1, size / max(image.width, image.height, 1))
    return max(1, round(image.width * scale))


@register.simple_tag
def thumbnail(image, sizes: str, *, eager: bool = False, base: int = 320):
    """A lazy <img> with WebP thumbnails in a srcset; width/height keep the layout still."""
    srcset = ", ".join(
        f"{image.thumbnail_url(size)} {_thumbnail_width(image, size)}w" for size in THUMBNAIL_SIZES
    )
    width = _thumbnail_width(image, base)
    height = round(width * image.height / image.width) if image.width else width
    return format_html(
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}"'
        ' decoding="async">',
        image.thumbnail_url(base),
        srcset,
        sizes,
        width,
        height,
        image.alt,
        "eager" if eager else "lazy",
    )
