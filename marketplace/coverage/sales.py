"""OCOP sales on this marketplace, shown beside coverage: orders, units and revenue.

A counted line is an order line
  - of an OCOP product (the product has a certificate),
  - in a sub-order that is not cancelled,
  - that is paid, as a marketplace books revenue: a prepaid order (VietQR, card) once its
    payment is PAID in full (the transfer reconciled, the card captured), a cash-on-delivery
    sub-order once it is delivered (the courier collected its total then). Unpaid, partly paid
    and failed payments, and COD parts not yet delivered, are not revenue (yet),
  - of an order placed between date_from and date_to inclusive (days in Asia/Ho_Chi_Minh).
orders  = distinct orders holding at least one counted line (an order with lines in two
          groups counts once in each group, and once in the totals)
units   = sum of the counted lines' quantities
revenue = sum of the counted lines' totals in đồng, as sold; shipping fees are not revenue
ward    = the ward of the product's producer (the producer that ships the sub-order)
group   = the OCOP group of the product's product set
month   = the month the order was placed, Vietnamese time

Each breakdown is one grouped query; nothing is loaded line by line.
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext

from marketplace.checkout.models import OrderLine, OrderStatus
from marketplace.coverage.errors import CoverageError
from marketplace.coverage.services import today
from marketplace.errors import DomainError
from marketplace.payments.models import PaymentMethod, PaymentStatus
from marketplace.taxonomy.models import OcopGroup
from marketplace.text import fold

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_MONTHS = 12  # the dashboard's default window: this month and the 11 before it
MAX_MONTHS = 120  # keeps the monthly table (and the chart) a readable size


@dataclass
class SalesRow:
    key: str
    label: str
    orders: int = 0
    units: int = 0
    revenue: int = 0  # đồng


@dataclass
class OcopSales:
    date_from: datetime.date
    date_to: datetime.date
    orders: int
    units: int
    revenue: int
    by_ward: list[SalesRow]
    by_group: list[SalesRow]
    by_month: list[SalesRow]


def month_start(day: datetime.date, months_back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def sales_period(
    date_from: datetime.date | None, date_to: datetime.date | None
) -> tuple[datetime.date, datetime.date]:
    """The days asked for, defaulting to the 12 months that end on date_to (today)."""
    date_to = date_to or today()
    date_from = date_from or month_start(date_to, DEFAULT_MONTHS - 1)
    if date_from > date_to:
        raise DomainError(
            CoverageError.INVALID,
            gettext("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."),
            "date_from",
        )
    if month_start(date_to, MAX_MONTHS - 1) > date_from:
        raise DomainError(
            CoverageError.INVALID,
            gettext("Chỉ xem được tối đa %(max_months)s tháng một lần.")
            % {"max_months": MAX_MONTHS},
            "date_from",
        )
    return date_from, date_to


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=VIETNAM)


# The "paid" rule of the module docstring, for order lines.
PAID = Q(sub_order__order__payment__status=PaymentStatus.PAID) & ~Q(
    sub_order__order__payment__method=PaymentMethod.COD
) | Q(sub_order__order__payment__method=PaymentMethod.COD, sub_order__status=OrderStatus.DELIVERED)


def counted_lines(date_from: datetime.date, date_to: datetime.date) -> QuerySet:
    placed = Q(
        sub_order__order__created_at__gte=_local_midnight(date_from),
        sub_order__order__created_at__lt=_local_midnight(date_to + datetime.timedelta(days=1)),
    )
    return (
        OrderLine.objects.filter(placed, PAID, product__certificate__isnull=False)
        .exclude(sub_order__status=OrderStatus.CANCELLED)
        .order_by()  # no default ordering in GROUP BY
    )


_FIGURES = {
    "orders": Count("sub_order__order", distinct=True),
    "units": Sum("quantity"),
    "revenue": Sum("line_total"),
}


def _grouped(lines: QuerySet, *keys: str) -> list[dict]:
    return list(lines.values(*keys).annotate(**_FIGURES))


def _row(key: str, label: str, figures: dict) -> SalesRow:
    return SalesRow(key, label, figures["orders"], figures["units"] or 0, figures["revenue"] or 0)


def compute_sales(
    date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> OcopSales:
    date_from, date_to = sales_period(date_from, date_to)
    lines = counted_lines(date_from, date_to)
    totals = lines.aggregate(**_FIGURES)

    ward_key, ward_name = "sub_order__producer__ward_id", "sub_order__producer__ward__name"
    by_ward = [_row(f[ward_key], f[ward_name], f) for f in _grouped(lines, ward_key, ward_name)]
    by_ward.sort(key=lambda r: (-r.revenue, fold(r.label)))

    group_key = "product__product_set__group_id"
    sold = {f[group_key]: f for f in _grouped(lines, group_key)}
    empty = {"orders": 0, "units": 0, "revenue": 0}
    # All six groups, so a group that sells nothing shows as a zero rather than vanishing.
    by_group = [
        _row(str(number), name, sold.get(number, empty))
        for number, name in OcopGroup.objects.order_by("number").values_list("number", "name")
    ]

    monthly = {
        f["month"].astimezone(VIETNAM).date(): f
        for f in _grouped(
            lines.annotate(month=TruncMonth("sub_order__order__created_at", tzinfo=VIETNAM)),
            "month",
        )
    }
    months = []
    month = month_start(date_from)
    while month <= date_to:
        months.append(_row(f"{month:%Y-%m}", f"{month:%m/%Y}", monthly.get(month, empty)))
        month = month_start(month, months_back=-1)

    return OcopSales(
        date_from=date_from,
        date_to=date_to,
        orders=totals["orders"],
        units=totals["units"] or 0,
        revenue=totals["revenue"] or 0,
        by_ward=by_ward,
        by_group=by_group,
        by_month=months,
    )
