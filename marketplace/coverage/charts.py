"""Server-rendered SVG charts: no script, no tiles, no internet; they print and work offline."""

import datetime
import math
from dataclasses import dataclass
from fractions import Fraction
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from marketplace.money import format_vnd
from marketplace.numbers import percent_text

TARGET_COLOUR = "#b91c1c"
BAR_COLOUR = "#15803d"
BELOW_COLOUR = "#d97706"
LOW_COLOUR = "#dc2626"
EMPTY_COLOUR = "#e5e7eb"


@dataclass
class Bar:
    label: str
    value: Fraction | float  # a share, 0..1, exact (see marketplace.numbers)
    detail: str  # e.g. "12/15"


@dataclass(frozen=True)
class Band:
    """One colour of the charts and the map, and what it means (the map's legend)."""

    colour: str
    label: str


def bands(target: float) -> list[Band]:
    """The map's legend, in the order share_colour() tests them: one source for both."""
    limits = {"target": percent_text(target, 0), "half": percent_text(target / 2, 0)}
    return [
        Band(BAR_COLOUR, _("đạt mục tiêu (từ %(target)s)") % limits),
        Band(BELOW_COLOUR, _("dưới mục tiêu (%(half)s đến dưới %(target)s)") % limits),
        Band(LOW_COLOUR, _("thấp (dưới %(half)s)") % limits),
        Band(EMPTY_COLOUR, _("chưa có sản phẩm OCOP")),
    ]


def share_colour(share: Fraction | float | None, target: float) -> str:
    """Green at or above the target, amber down to half of it, red below, grey with nothing
    certified: four colours a legend can name (a gradient could not be read back)."""
    if share is None:
        return EMPTY_COLOUR
    if share >= target:
        return BAR_COLOUR
    return BELOW_COLOUR if share >= target / 2 else LOW_COLOUR


def legend(target: float) -> SafeString:
    """The bands as a list, each with a dot drawn in the very colour the map uses."""
    items = "".join(
        f'<li><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="5.5" '
        f'fill="{band.colour}" stroke="#374151" stroke-width="0.6"/></svg> '
        f"{escape(band.label)}</li>"
        for band in bands(target)
    )
    return mark_safe(f'<ul class="legend">{items}</ul>')  # labels escaped above


def bar_chart(bars: list[Bar], target: float, title: str) -> SafeString:
    """Horizontal bars with a target line; long lists (102 wards) just grow taller."""
    # 420 wide: at 360 px the 12-unit text is still about 10 px tall, and "74,1 % · 103/139"
    # fits beside its bar.
    label_w, bar_w, value_w, row_h = 150, 150, 120, 20
    width, height = label_w + bar_w + value_w, row_h * len(bars) + 30
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = 10 + i * row_h
        w = round(bar_w * max(0.0, min(1.0, float(bar.value))), 1)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="12">'
            f"{escape(bar.label)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 6}" '
            f'fill="{EMPTY_COLOUR}"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 6}" '
            f'fill="{share_colour(bar.value, target)}"><title>{escape(bar.label)}: '
            f"{percent_text(bar.value)} ({escape(bar.detail)})</title></rect>"
            f'<text x="{label_w + bar_w + 6}" y="{y + 14}" font-size="12">'
            f"{percent_text(bar.value)} · {escape(bar.detail)}</text>"
        )
    x = label_w + bar_w * target
    parts.append(
        f'<line x1="{x}" y1="4" x2="{x}" y2="{height - 14}" stroke="{TARGET_COLOUR}" '
        f'stroke-dasharray="4 3"/><text x="{x}" y="{height - 2}" text-anchor="middle" '
        f'font-size="11" fill="{TARGET_COLOUR}">{percent_text(target, 0)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text is escaped above


def trend_line(
    points: list[tuple[datetime.date, Fraction]], target: float, title: str
) -> SafeString:
    """Monthly share as a line, 0–100 %, with the target dashed."""
    width, height, left, right, bottom, top = 640, 220, 40, 24, 30, 10
    plot_w, plot_h = width - left - right, height - bottom - top

    def y_of(share: Fraction | float) -> float:
        return round(top + plot_h * (1 - float(share)), 1)

    step = plot_w / max(1, len(points) - 1)
    coords = [(round(left + i * step, 1), y_of(share)) for i, (_, share) in enumerate(points)]
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for share in (0, 0.25, 0.5, 0.75, 1):
        parts.append(
            f'<line x1="{left}" y1="{y_of(share)}" x2="{width - right}" y2="{y_of(share)}" '
            f'stroke="#e5e7eb"/><text x="{left - 4}" y="{y_of(share) + 4}" '
            f'text-anchor="end" font-size="10">{percent_text(share, 0)}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{y_of(target)}" x2="{width - right}" y2="{y_of(target)}" '
        f'stroke="{TARGET_COLOUR}" stroke-dasharray="4 3"/>'
    )
    if len(coords) > 1:
        path = " ".join(f"{x},{y}" for x, y in coords)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{BAR_COLOUR}" stroke-width="2"/>'
        )
    for (x, y), (month, share) in zip(coords, points, strict=True):
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="3.5" fill="{BAR_COLOUR}"><title>{month:%m/%Y}: '
            f"{percent_text(share)}</title></circle>"
            f'<text x="{x}" y="{height - 10}" text-anchor="middle" font-size="10">'
            f"{month:%m/%y}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


@dataclass
class MapPoint:
    code: str
    name: str
    latitude: float
    longitude: float
    share: Fraction | None  # None: nothing certified in the ward
    detail: str


def ward_map(points: list[MapPoint], target: float, title: str) -> SafeString:
    """Each ward's centre as a dot coloured by its share (no boundaries: the package has none).

    Longitude/latitude are projected equirectangularly, scaled by cos(latitude) — accurate
    enough for one province at 10° N. Each dot is a link to its own label (drawn last, over
    every dot), which CSS shows while it is the page's :target: a tap names the ward without
    script, and the link's aria-label says the same to a screen reader.
    """
    if not points:
        return mark_safe("")
    width, pad = 640, 14
    lats = [p.latitude for p in points]
    lons = [p.longitude for p in points]
    x_scale = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = (max(lons) - min(lons)) * x_scale or 1
    span_y = (max(lats) - min(lats)) or 1
    scale = (width - 2 * pad) / span_x
    height = round(span_y * scale + 2 * pad)
    parts = [
        f'<svg class="chart map" viewBox="0 0 {width} {height}" width="100%" role="group" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<rect width="{width}" height="{height}" fill="#f0f9ff"/>',
    ]
    halos, dots, labels = [], [], []
    for p in points:
        x = round(pad + (p.longitude - min(lons)) * x_scale * scale, 1)
        y = round(pad + (max(lats) - p.latitude) * scale, 1)
        share_text = _("chưa có sản phẩm OCOP") if p.share is None else percent_text(p.share)
        name = escape(f"{p.name}: {share_text} {p.detail}".strip())
        anchor = f"ban-do-{escape(p.code)}"
        # An invisible ring under every dot makes a finger-sized target at 360 px; the rings lie
        # below all dots, so a tap on a dot is always that dot's.
        halos.append(
            f'<a href="#{anchor}" tabindex="-1" aria-hidden="true">'
            f'<circle cx="{x}" cy="{y}" r="13" fill="transparent"/></a>'
        )
        dots.append(
            f'<a class="dot" href="#{anchor}" aria-label="{name}" data-ward="{escape(p.code)}">'
            f'<circle cx="{x}" cy="{y}" r="7" fill="{share_colour(p.share, target)}" '
            f'stroke="#374151" stroke-width="0.6"/></a>'
        )
        side = "start" if x < width / 2 else "end"
        shift = 12 if side == "start" else -12
        labels.append(
            f'<text id="{anchor}" class="tag" x="{x + shift}" y="{round(y + 5, 1)}" '
            f'text-anchor="{side}" font-size="22">{name}</text>'
        )
    parts.extend(halos + dots)
    parts.extend(labels)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text is escaped above


@dataclass
class Amount:
    label: str
    value: int  # đồng
    detail: str  # e.g. "12 đơn · 30 sp"


def amount_bars(bars: list[Amount], title: str) -> SafeString:
    """Horizontal bars of money, scaled to the largest; no target line."""
    label_w, bar_w, value_w, row_h = 190, 300, 160, 20
    width, height = label_w + bar_w + value_w, row_h * len(bars) + 16
    top = max((bar.value for bar in bars), default=0) or 1
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = 8 + i * row_h
        w = round(bar_w * bar.value / top, 1)
        amount = format_vnd(bar.value)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" font-size="12">'
            f"{escape(bar.label)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 6}" '
            f'fill="{BAR_COLOUR}"><title>{escape(bar.label)}: {amount} '
            f"({escape(bar.detail)})</title></rect>"
            f'<text x="{label_w + w + 6}" y="{y + 14}" font-size="12">{amount}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text is escaped above


def amount_columns(columns: list[Amount], title: str) -> SafeString:
    """One column per month, scaled to the largest month, the value in each column's tooltip."""
    width, height, left, right, bottom, top = 640, 200, 10, 10, 30, 10
    plot_w, plot_h = width - left - right, height - bottom - top
    highest = max((c.value for c in columns), default=0) or 1
    slot = plot_w / max(1, len(columns))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="#9ca3af"/>',
    ]
    for i, column in enumerate(columns):
        h = round(plot_h * column.value / highest, 1)
        x = round(left + i * slot + slot * 0.15, 1)
        parts.append(
            f'<rect x="{x}" y="{round(top + plot_h - h, 1)}" width="{round(slot * 0.7, 1)}" '
            f'height="{h}" fill="{BAR_COLOUR}"><title>{escape(column.label)}: '
            f"{format_vnd(column.value)} ({escape(column.detail)})</title></rect>"
            f'<text x="{round(left + (i + 0.5) * slot, 1)}" y="{height - 10}" '
            f'text-anchor="middle" font-size="10">{escape(column.label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text is escaped above
