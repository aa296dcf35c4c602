"""The share of certified OCOP products that are sold online, and its monthly snapshots.

certified = register entries whose certificate is valid on the day (issued on or before it,
            the expiry date being the last valid day)
online    = those linked to a published product of an active producer here (automatic or
            staff-confirmed link) or to a sighting on another platform
share     = online / certified, rounded to 4 places (0.0 when nothing is certified)
ratio     = the same share exactly, for what people read (pages and files round it once, in
            marketplace.numbers: a share rounded twice can be off by a tenth of a percent)
"""

import calendar
import datetime
from dataclasses import asdict, dataclass, field
from fractions import Fraction

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from marketplace.catalog.models import ProductStatus
from marketplace.coverage import cache as coverage_cache
from marketplace.coverage.errors import CoverageError
from marketplace.coverage.models import (
    ACCEPTED_LINK_STATUSES,
    CoverageSnapshot,
    ExternalListing,
    ListingLink,
    RegisterEntry,
)
from marketplace.errors import DomainError
from marketplace.numbers import exact_share
from marketplace.taxonomy.models import OcopGroup
from marketplace.text import vi_sort_key
from producers.models import ProducerKind

TARGET_SHARE = 0.8  # the province's goal for certified products sold online
UNKNOWN_KIND = "chua_ro"
# Register producers not (yet) on the marketplace: their kind shows in how they are named.
_KIND_BY_PREFIX = (
    ("htx", ProducerKind.HOP_TAC_XA),
    ("hop tac xa", ProducerKind.HOP_TAC_XA),
    ("cong ty", ProducerKind.DOANH_NGHIEP),
    ("doanh nghiep", ProducerKind.DOANH_NGHIEP),
    ("dntn", ProducerKind.DOANH_NGHIEP),
    ("ho kinh doanh", ProducerKind.HO_KINH_DOANH),
    ("hkd", ProducerKind.HO_KINH_DOANH),
    ("co so", ProducerKind.CO_SO),
)


def share_of(online: int, certified: int) -> float:
    return round(float(exact_share(online, certified)), 4)


def today() -> datetime.date:
    """Today in Asia/Ho_Chi_Minh (the project's TIME_ZONE)."""
    return timezone.localdate()


@dataclass
class CoverageRow:
    key: str
    label: str
    certified: int = 0
    online: int = 0

    @property
    def share(self) -> float:
        return share_of(self.online, self.certified)

    @property
    def ratio(self) -> Fraction:
        return exact_share(self.online, self.certified)

    @property
    def gap(self) -> int:
        return self.certified - self.online


@dataclass
class NotOnline:
    entry_id: int
    product_name: str
    certificate_number: str | None
    stars: int
    product_set: str
    expires_on: datetime.date
    producer_name: str
    ward_code: str
    ward_name: str
    group: str
    phone: str
    email: str
    address: str


@dataclass
class Coverage:
    as_of: datetime.date
    certified: int
    online: int
    by_ward: list[CoverageRow]
    by_group: list[CoverageRow]
    by_stars: list[CoverageRow]
    by_producer_kind: list[CoverageRow]
    not_online: list[NotOnline] = field(default_factory=list)

    @property
    def share(self) -> float:
        return share_of(self.online, self.certified)

    @property
    def ratio(self) -> Fraction:
        return exact_share(self.online, self.certified)

    @property
    def target(self) -> float:
        return TARGET_SHARE

    @property
    def missing_for_target(self) -> int:
        """How many more products online would reach the target."""
        needed = -(-int(self.certified * TARGET_SHARE * 10000) // 10000)  # ceil, no float drift
        return max(0, needed - self.online)


def kind_of(producer_kind: str | None, producer_key: str) -> str:
    if producer_kind:
        return producer_kind
    for prefix, kind in _KIND_BY_PREFIX:
        if producer_key.startswith(prefix + " "):
            return kind
    return UNKNOWN_KIND


def kind_label(kind: str) -> str:
    # Stored in snapshots and exports like the ward and group labels: Vietnamese, plain str.
    with translation.override("vi"):
        return str(dict(ProducerKind.choices).get(kind, "Chưa rõ"))


def online_entry_ids(as_of: datetime.date) -> set[int]:
    """Register entries sold online today (listings are as they are now)."""
    here = ListingLink.objects.filter(
        status__in=ACCEPTED_LINK_STATUSES,
        product__status=ProductStatus.PUBLISHED,
        product__producer__is_active=True,
        register_entry__issued_on__lte=as_of,
        register_entry__expires_on__gte=as_of,
    ).values_list("register_entry_id", flat=True)
    elsewhere = ExternalListing.objects.filter(
        register_entry__issued_on__lte=as_of, register_entry__expires_on__gte=as_of
    ).values_list("register_entry_id", flat=True)
    return set(here) | set(elsewhere)


def compute_coverage(as_of: datetime.date | None = None, *, with_not_online: bool = False):
    """All figures for one day: cached until the register or a listing changes (cache.py)."""
    as_of = as_of or today()
    variant = "full" if with_not_online else "summary"
    return coverage_cache.cached(as_of, variant, lambda: _compute(as_of, with_not_online))


def _compute(as_of: datetime.date, with_not_online: bool) -> "Coverage":
    """All figures for one day, in a constant number of queries."""
    valid = Q(issued_on__lte=as_of, expires_on__gte=as_of)
    fields = [
        "id",
        "ward_id",
        "ward__name",
        "product_set__group_id",
        "stars",
        "producer__kind",
        "producer_key",
    ]
    if with_not_online:
        fields += [
            "product_name",
            "certificate_number",
            "product_set_id",
            "expires_on",
            "producer_name",
            "producer__phone",
            "producer__email",
            "producer__street_address",
        ]
    entries = list(RegisterEntry.objects.filter(valid).values(*fields).order_by("id"))
    online_ids = online_entry_ids(as_of)
    group_names = dict(OcopGroup.objects.values_list("number", "name"))

    tables: dict[str, dict[str, CoverageRow]] = {"ward": {}, "group": {}, "stars": {}, "kind": {}}
    not_online = []
    for e in entries:
        is_online = e["id"] in online_ids
        kind = kind_of(e["producer__kind"], e["producer_key"])
        keys = {
            "ward": (e["ward_id"], e["ward__name"]),
            "group": (str(e["product_set__group_id"]), group_names[e["product_set__group_id"]]),
            "stars": (str(e["stars"]), f"{e['stars']} sao"),
            "kind": (kind, kind_label(kind)),
        }
        for table, (key, label) in keys.items():
            row = tables[table].setdefault(key, CoverageRow(key, label))
            row.certified += 1
            row.online += is_online
        if with_not_online and not is_online:
            not_online.append(
                NotOnline(
                    entry_id=e["id"],
                    product_name=e["product_name"],
                    certificate_number=e["certificate_number"],
                    stars=e["stars"],
                    product_set=e["product_set_id"],
                    expires_on=e["expires_on"],
                    producer_name=e["producer_name"],
                    ward_code=e["ward_id"],
                    ward_name=e["ward__name"],
                    group=str(e["product_set__group_id"]),
                    phone=e["producer__phone"] or "",
                    email=e["producer__email"] or "",
                    address=e["producer__street_address"] or "",
                )
            )
    not_online.sort(
        key=lambda n: (
            vi_sort_key(n.ward_name),
            vi_sort_key(n.producer_name),
            vi_sort_key(n.product_name),
        )
    )

    def rows(table: str, order=lambda r: r.key) -> list[CoverageRow]:
        return sorted(tables[table].values(), key=order)

    return Coverage(
        as_of=as_of,
        certified=len(entries),
        online=sum(1 for e in entries if e["id"] in online_ids),
        by_ward=rows("ward"),
        by_group=rows("group", lambda r: int(r.key)),
        by_stars=rows("stars"),
        by_producer_kind=rows("kind"),
        not_online=not_online,
    )


@dataclass(frozen=True)
class NotOnlineFilter:
    """The dashboard's filters on the call list; empty means all."""

    ward_code: str = ""
    group: str = ""
    stars: str = ""

    def apply(self, rows: list[NotOnline]) -> list[NotOnline]:
        return [
            r
            for r in rows
            if (not self.ward_code or r.ward_code == self.ward_code)
            and (not self.group or r.group == self.group)
            and (not self.stars or str(r.stars) == self.stars)
        ]


# --- monthly snapshots -------------------------------------------------------------------


def parse_month(text: str) -> datetime.date:
    try:
        year, month = (int(p) for p in text.split("-"))
        return datetime.date(year, month, 1)
    except ValueError:
        raise DomainError(
            CoverageError.INVALID_MONTH,
            gettext("'%(text)s' không phải tháng YYYY-MM") % {"text": text},
            "month",
        )


def month_as_of(month: datetime.date) -> datetime.date:
    """The day a month's figures are for: its last day, or today while it is running."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return min(last, today())


@transaction.atomic
def take_snapshot(month: datetime.date | None = None) -> CoverageSnapshot:
    """Freeze (or refresh) the figures of a month; the scheduled job runs this monthly."""
    month = (month or today()).replace(day=1)
    if month > today():
        raise DomainError(
            CoverageError.FUTURE_MONTH,
            gettext("không thể chốt số liệu cho tháng chưa tới"),
            "month",
        )
    coverage = compute_coverage(month_as_of(month))
    breakdowns = {
        name: [asdict(r) | {"share": r.share} for r in getattr(coverage, f"by_{name}")]
        for name in ("ward", "group", "stars", "producer_kind")
    }
    snapshot, _ = CoverageSnapshot.objects.update_or_create(
        month=month,
        defaults={
            "as_of": coverage.as_of,
            "certified": coverage.certified,
            "online": coverage.online,
            "share": coverage.share,
            "breakdowns": breakdowns,
        },
    )
    return snapshot


@dataclass
class TrendPoint:
    month: datetime.date
    certified: int
    online: int
    share: float
    live: bool = False  # the running month, computed now rather than frozen

    @property
    def ratio(self) -> Fraction:
        return exact_share(self.online, self.certified)


def trend(months: int = 12) -> list[TrendPoint]:
    """The last snapshots, oldest first, ending with the live figure for this month."""
    this_month = today().replace(day=1)
    frozen = list(
        CoverageSnapshot.objects.filter(month__lt=this_month).order_by("-month")[: months - 1]
    )
    points = [TrendPoint(s.month, s.certified, s.online, s.share) for s in reversed(frozen)]
    live = compute_coverage(today())
    points.append(TrendPoint(this_month, live.certified, live.online, live.share, live=True))
    return points
