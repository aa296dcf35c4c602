"""Scan log and counterfeit rules.

Each consumer scan is logged with its time, a coarse origin (the region an edge proxy puts in
a header), the user agent, and a location rounded to ~1 km only if the consumer consented.
Rules then flag a serial that is scanned after being sold elsewhere, from far-apart places
within hours, or far more often than normal, and a lot scanned more times than it has units.
"""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace import access
from marketplace.access import Permission
from marketplace.errors import DomainError
from marketplace.text import nfc, nfc_lines
from traceability.errors import TraceError
from traceability.models import Batch, FlagRule, Scan, ScanFlag, SuspectReport, Unit
from traceability.selectors import batch_for_member

FAR_KM = 150
FAR_WINDOW = datetime.timedelta(hours=6)
OFTEN_COUNT = 10  # a household scans a jar a few times; a copied label is scanned by many
OFTEN_WINDOW = datetime.timedelta(hours=24)
REGION_HEADERS = ("HTTP_CF_IPCOUNTRY", "HTTP_X_GEO_REGION", "HTTP_X_APPENGINE_REGION")


@dataclass
class ScanData:
    region: str = ""
    user_agent: str = ""
    location: tuple[float, float] | None = None
    consent: bool = False  # to keep the location


def origin_from(meta: dict) -> ScanData:
    region = next((meta[h] for h in REGION_HEADERS if meta.get(h)), "")
    return ScanData(region=nfc(region)[:40], user_agent=meta.get("HTTP_USER_AGENT", "")[:200])


def _rounded(value: float) -> Decimal:
    return Decimal(str(round(value, 2)))


def _km(a: Scan, b: Scan) -> float:
    lat1, lon1, lat2, lon2 = map(
        math.radians, map(float, (a.latitude, a.longitude, b.latitude, b.longitude))
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def _flag(batch: Batch, unit: Unit | None, rule: str, detail: str) -> None:
    try:
        with transaction.atomic():
            ScanFlag.objects.create(batch=batch, unit=unit, rule=rule, detail=detail[:300])
    except IntegrityError:
        pass  # already flagged for this rule


@transaction.atomic
def record_scan(
    batch: Batch, serial: str | None, data: ScanData, *, now: datetime.datetime | None = None
) -> Scan:
    now = now or timezone.now()
    unit = batch.unit_serials.filter(serial=serial).first() if serial and batch.serialised else None
    keep_location = data.consent and data.location is not None
    scan = Scan.objects.create(
        batch=batch,
        unit=unit,
        serial=(serial or "")[:40],
        genuine=serial is None or unit is not None,
        scanned_at=now,
        region=data.region,
        user_agent=data.user_agent,
        latitude=_rounded(data.location[0]) if keep_location else None,
        longitude=_rounded(data.location[1]) if keep_location else None,
    )
    evaluate(scan)
    return scan


def evaluate(scan: Scan) -> None:
    """Run the rules that this scan could trigger."""
    batch, unit = scan.batch, scan.unit
    if scan.serial and unit is None and batch.serialised:
        _flag(batch, None, FlagRule.FORGED_SERIAL, f"Số sê-ri giả {scan.serial} đã được quét.")
    if batch.scans.count() > batch.units:
        _flag(
            batch, None, FlagRule.OVER_UNITS, f"Lô có {batch.units} sản phẩm nhưng quét nhiều hơn."
        )
    if unit is None:
        return
    if (
        unit.sold_at
        and scan.scanned_at > unit.sold_at
        and scan.region
        and unit.sold_region
        and scan.region != unit.sold_region
    ):
        _flag(
            batch,
            unit,
            FlagRule.SOLD_ELSEWHERE,
            f"Đã bán ở {unit.sold_region}, sau đó được quét ở {scan.region}.",
        )
    recent = unit.scans.filter(scanned_at__gte=scan.scanned_at - OFTEN_WINDOW)
    if recent.count() > OFTEN_COUNT:
        _flag(batch, unit, FlagRule.TOO_OFTEN, f"Hơn {OFTEN_COUNT} lượt quét trong 24 giờ.")
    if scan.latitude is not None:
        nearby_in_time = unit.scans.filter(
            scanned_at__gte=scan.scanned_at - FAR_WINDOW, latitude__isnull=False
        ).exclude(pk=scan.pk)
        for other in nearby_in_time:
            distance = _km(scan, other)
            if distance > FAR_KM:
                _flag(
                    batch,
                    unit,
                    FlagRule.FAR_APART,
                    f"Quét ở hai nơi cách nhau {distance:.0f} km trong vòng 6 giờ.",
                )
                break


@transaction.atomic
def mark_unit_sold(unit: Unit, region: str, *, when: datetime.datetime | None = None) -> Unit:
    if unit.sold_at:
        raise DomainError(
            TraceError.ALREADY_SOLD, gettext("Sản phẩm này đã được ghi nhận bán."), "serial"
        )
    unit.sold_at = when or timezone.now()
    unit.sold_region = nfc(region)[:40]
    unit.save(update_fields=["sold_at", "sold_region"])
    return unit


def warnings_for(batch: Batch, unit: Unit | None) -> list[ScanFlag]:
    """The flags a consumer holding this item should hear about."""
    flags = batch.flags.filter(unit__isnull=True).exclude(rule=FlagRule.FORGED_SERIAL)
    if unit is not None:
        flags = flags | batch.flags.filter(unit=unit)
    return list(flags)


@dataclass
class ReportData:
    gtin: str
    lot: str
    serial: str = ""
    where_bought: str = ""
    message: str = ""
    contact: str = ""


def report_suspect(data: ReportData, batch: Batch | None) -> SuspectReport:
    message = nfc_lines(data.message)
    if len(message) < 5:
        raise DomainError(
            TraceError.REQUIRED, gettext("Xin mô tả ngắn điều bạn nghi ngờ."), "message"
        )
    if len(message) > 2000:
        raise DomainError(TraceError.TOO_LONG, gettext("Mô tả tối đa 2.000 ký tự."), "message")
    return SuspectReport.objects.create(
        gtin=data.gtin[:14],
        lot=data.lot[:20],
        serial=data.serial[:20],
        batch=batch,
        where_bought=nfc(data.where_bought)[:200],
        message=message,
        contact=nfc(data.contact)[:100],
    )


def mark_member_unit_sold(user, gtin: str, lot: str, serial: str, region: str) -> Unit:
    """The producer (or its shop) records that a serialised unit was sold, and where."""
    access.require(user, Permission.SIGNED_IN)
    batch = batch_for_member(user, gtin, lot)
    unit = batch.unit_serials.filter(serial=serial).first()
    if unit is None:
        raise DomainError(
            TraceError.NOT_FOUND, gettext("Không có số sê-ri này trong lô."), "serial"
        )
    if not nfc(region):
        raise DomainError(TraceError.REQUIRED, gettext("Cần nơi bán (tỉnh/thành)."), "region")
    return mark_unit_sold(unit, region)
