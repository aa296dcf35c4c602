"""Settlement statements: per producer and period, what the ledger says the platform owes.

A statement settles events, not days: every delivery and return (the `key` of its LineCharge
rows) dated up to the period's end that no earlier statement settled. So a return accepted
after its delivery's week was issued lands on the next statement, and an issued statement never
changes. Its figures are sums of the ledger's postings for those events' entries; the per-line
section is their LineCharge rows (checks.py proves the two agree).

Periods: SETTLEMENT_PERIOD_DAYS days counted from PERIOD_ANCHOR (a Monday), in Vietnam time.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import DomainError
from marketplace.settlements.errors import SettlementError
from marketplace.settlements.models import (
    Account,
    EntryKind,
    LineCharge,
    Posting,
    Statement,
    StatementEvent,
)

PERIOD_ANCHOR = datetime.date(2025, 6, 30)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


def period_of(day: datetime.date) -> Period:
    length = settings.SETTLEMENT_PERIOD_DAYS
    start = PERIOD_ANCHOR + datetime.timedelta(days=(day - PERIOD_ANCHOR).days // length * length)
    return Period(start, start + datetime.timedelta(days=length - 1))


def last_closed_period(today: datetime.date | None = None) -> Period:
    current = period_of(today or timezone.localdate())
    return period_of(current.start - datetime.timedelta(days=1))


def closed_period_ending(end: datetime.date) -> Period:
    """The period that ends on `end`; refused unless `end` ends one and that one is over."""
    period = period_of(end)
    if period.end != end:
        raise DomainError(
            SettlementError.INVALID_PERIOD,
            _("%(day)s không phải ngày cuối kỳ đối soát (kỳ %(start)s – %(end)s).")
            % {
                "day": end.strftime("%d/%m/%Y"),
                "start": period.start.strftime("%d/%m/%Y"),
                "end": period.end.strftime("%d/%m/%Y"),
            },
            "period_end",
        )
    if end >= timezone.localdate():
        raise DomainError(
            SettlementError.INVALID_PERIOD,
            _("Kỳ đến %(day)s chưa kết thúc: chưa đối soát được.")
            % {"day": end.strftime("%d/%m/%Y")},
            "period_end",
        )
    return period


def entry_keys(event_key: str) -> list[str]:
    """The ledger entries that moved the producer's money for one event (charges.py and
    returns.py name them)."""
    kind, _sep, ref = event_key.partition(":")
    if kind == "sale":
        return [f"sale:{ref}", f"commission:{ref}", f"tax:{ref}"]
    return [f"sale-returned:{ref}", f"commission-return:{ref}", f"tax-return:{ref}"]


def _unsettled(end: datetime.date):
    return LineCharge.objects.filter(on__lte=end).exclude(
        key__in=StatementEvent.objects.values("key")
    )


def issue_all(end: datetime.date | None = None) -> list[Statement]:
    """Issue the statements of every closed period up to `end` (default: the last closed
    one) that has unsettled events, oldest first. Running it again issues nothing new."""
    last = closed_period_ending(end) if end else last_closed_period()
    first_day = _unsettled(last.end).order_by("on").values_list("on", flat=True).first()
    issued = []
    period = period_of(first_day) if first_day else None
    while period is not None and period.end <= last.end:
        issued += issue_period(period)
        period = period_of(period.end + datetime.timedelta(days=1))
    return issued


def issue_period(period: Period) -> list[Statement]:
    producers = _unsettled(period.end).values_list("producer_id", flat=True).distinct().order_by()
    issued = []
    for producer_id in sorted(set(producers)):
        statement = issue(producer_id, period)
        if statement is not None:
            issued.append(statement)
    return issued


def issue(producer_id: int, period: Period) -> Statement | None:
    """The producer's statement for `period`; None when it was issued before or nothing is
    left to settle."""
    try:
        with transaction.atomic():
            if Statement.objects.filter(
                producer_id=producer_id, period_start=period.start
            ).exists():
                return None
            events = list(
                _unsettled(period.end)
                .filter(producer_id=producer_id)
                .values("key", "sub_order_id")
                .annotate(day=Max("on"))
                .order_by("day", "key")
            )
            if not events:
                return None
            code = LineCharge.objects.filter(producer_id=producer_id).values_list(
                "producer__code", flat=True
            )[0]
            statement = Statement(
                number=f"DS-{code}-{period.start:%Y%m%d}",
                producer_id=producer_id,
                period_start=period.start,
                period_end=period.end,
                **figures(producer_id, [e["key"] for e in events]),
            )
            statement.save()
            StatementEvent.objects.bulk_create(
                StatementEvent(
                    statement=statement, key=e["key"], sub_order_id=e["sub_order_id"], on=e["day"]
                )
                for e in events
            )
    except IntegrityError:
        # Another run issued it (or settled one of its events) at the same moment.
        return None
    return statement


def figures(producer_id: int, event_keys: list[str]) -> dict[str, int]:
    """The statement's figures from the ledger's postings of these events' entries."""
    keys = [key for event in event_keys for key in entry_keys(event)]
    sums = {
        (row["entry__kind"], row["account"]): row["total"]
        for row in Posting.objects.filter(entry__key__in=keys, producer_id=producer_id)
        .values("entry__kind", "account")
        .annotate(total=Sum("amount"))
        .order_by()
    }

    def total(account, kind=None) -> int:
        return sum(v for (k, a), v in sums.items() if a == account and kind in (None, k))

    sales = -total(Account.PRODUCER_PAYABLE, EntryKind.SALE_DELIVERED)
    goods = (
        LineCharge.objects.filter(key__in=event_keys, quantity__gt=0).aggregate(s=Sum("base"))["s"]
        or 0
    )
    sold = [key.partition(":")[2] for key in event_keys if key.startswith("sale:")]
    cod = (
        Posting.objects.filter(
            entry__key__in=[f"received:cod:{ref}" for ref in sold],
            account=Account.CARRIER_COD,
            producer_id=producer_id,
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    return {
        "goods": goods,
        "shipping": sales - goods,
        "returns": total(Account.PRODUCER_PAYABLE, EntryKind.SALE_RETURNED),
        "commission": -total(Account.COMMISSION_REVENUE),
        "vat": -total(Account.VAT_WITHHELD),
        "pit": -total(Account.PIT_WITHHELD),
        "net": -total(Account.PRODUCER_PAYABLE),
        "cod_collected": cod,
    }
