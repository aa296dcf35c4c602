"""Loading the sample lots (batches.csv) and their events (trace_events.csv) via the services.

Each file loads in one transaction; one bad row and nothing of that file is written. Re-running
changes nothing: lots are matched by product + lot code, events by their source event_id.
"""

import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from fixtures.csv_rows import LoadError, Row, RowError, read_rows
from marketplace.catalog.models import Product
from marketplace.errors import DomainError, ValidationFailed
from traceability.events import EventData, record_sourced_event
from traceability.lots import BatchData, create_batch
from traceability.selectors import find_batch

BATCH_HEADERS = {"gtin", "lot", "sku", "packed_on", "best_before", "units", "serialized"}
EVENT_HEADERS = {
    "event_id",
    "gtin",
    "lot",
    "event_type",
    "action",
    "biz_step",
    "disposition",
    "event_time",
    "ward_code",
    "actor",
    "quantity",
    "note",
}


def _errors(file: str, line: int, exc: DomainError) -> list[RowError]:
    items = exc.errors if isinstance(exc, ValidationFailed) else [exc]
    return [RowError(file, line, e.field, e.message) for e in items]


def _load(file: str, rows, load_row, report) -> None:
    errors: list[RowError] = []
    with transaction.atomic():
        for line, row in rows:
            try:
                with transaction.atomic():
                    changed = load_row(row)
            except DomainError as exc:
                errors.extend(_errors(file, line, exc))
                continue
            report.add(file, "changed" if changed else "unchanged")
        if errors:
            raise LoadError(errors)


def _load_batch(row: Row) -> bool:
    sku = row.text("sku")
    product = Product.objects.filter(sku=sku).first()
    if product is None:
        raise DomainError("UNKNOWN_PRODUCT", f"sản phẩm '{sku}' chưa có", "sku")
    if product.gtin != row.text("gtin"):
        raise DomainError("GTIN_MISMATCH", f"GTIN không khớp sản phẩm {sku}", "gtin")
    serialised = row.text("serialized").lower()
    if serialised not in ("yes", "no"):
        raise DomainError("INVALID", "serialized phải là yes hoặc no", "serialized")
    _, created = create_batch(
        BatchData(
            product=product,
            lot=row.text("lot"),
            packed_on=row.date("packed_on"),
            best_before=row.date("best_before") if row.text("best_before", False) else None,
            units=row.integer("units"),
            serialised=serialised == "yes",
        )
    )
    return created


def _event_time(row: Row) -> datetime.datetime:
    value = row.text("event_time")
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise DomainError("INVALID_TIME", f"'{value}' không phải thời điểm ISO 8601", "event_time")
    if moment.tzinfo is None:
        raise DomainError("INVALID_TIME", f"'{value}' thiếu múi giờ (+07:00)", "event_time")
    return moment


def _quantity(row: Row) -> tuple[Decimal | None, str]:
    value = row.text("quantity", required=False)
    if not value:
        return None, ""
    amount, _, uom = value.partition(" ")
    try:
        return Decimal(amount), uom.strip()
    except InvalidOperation:
        raise DomainError("INVALID_QUANTITY", f"'{value}' không phải 'số mã_UN/ECE'", "quantity")


def _load_event(row: Row) -> bool:
    gtin, lot = row.text("gtin"), row.text("lot")
    batch = find_batch(gtin, lot)
    if batch is None:
        raise DomainError("UNKNOWN_LOT", f"lô {gtin}/{lot} chưa có trong batches.csv", "lot")
    actor = row.text("actor")
    biz_step = row.text("biz_step")
    quantity, uom = _quantity(row)
    _, created = record_sourced_event(
        batch,
        EventData(
            source_ref=row.text("event_id"),
            event_type=row.text("event_type"),
            action=row.text("action", required=False),
            biz_step=biz_step,
            disposition=row.text("disposition", required=False),
            event_time=_event_time(row),
            ward_code=row.text("ward_code", required=False),
            actor=actor,
            # The register's own data: a third party inspecting the lot is an inspection body.
            actor_is_inspector=biz_step == "inspecting" and actor != batch.product.producer.name,
            quantity=quantity,
            uom=uom,
            note=row.text("note", required=False),
        ),
    )
    return created


def _by_lot_and_time(path: Path):
    """Rows ordered by lot, then event time: a chain is recorded in the order things happened."""

    def key(item):
        _, row = item
        try:
            moment = _event_time(row)
        except DomainError:
            moment = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        return (row.get("gtin", ""), row.get("lot", ""), moment)

    return sorted(read_rows(path, EVENT_HEADERS), key=key)


def load_trace_samples(directory: Path, report) -> None:
    _load("batches.csv", read_rows(directory / "batches.csv", BATCH_HEADERS), _load_batch, report)
    _load("trace_events.csv", _by_lot_and_time(directory / "trace_events.csv"), _load_event, report)
