"""Traceability: consumer trace page (server time, bytes), EPCIS JSON-LD, chain verification
for one lot of 1,000 events and for 100,000 events in total."""

import datetime
import time

from django.test import Client
from django.utils import timezone

from bench.timing import measure, row

LOT_EVENTS = 1_000
TOTAL_EVENTS = 100_000


def _synthetic_chains(product, lots: int, per_lot: int, prefix: str) -> list:
    """Valid chains built in memory and bulk-inserted (recording 100k events one by one
    through the service would measure the insert path, not verification)."""
    from traceability import chain, event_hash
    from traceability.models import Batch, Event
    from traceability.selectors import gtin14

    gtin = gtin14(product)
    start = timezone.now() - datetime.timedelta(days=400)
    batches = []
    for n in range(lots):
        batch = Batch.objects.create(
            product=product, lot=f"{prefix}{n:05d}", packed_on=start.date(), units=per_lot
        )
        previous, events = "", []
        for seq in range(1, per_lot + 1):
            moment = start + datetime.timedelta(minutes=seq)
            event = Event(
                batch=batch,
                seq=seq,
                event_type="ObjectEvent",
                action="OBSERVE",
                biz_step="storing",
                disposition="active",
                event_time=moment,
                record_time=moment,
                actor=product.producer.name,
                ward_id=product.producer.ward_id,
                note=f"Kiểm tra kho lần {seq}",
                prev_hash=previous,
            )
            event.hash = chain.event_digest(
                event, gtin=gtin, lot=batch.lot, attachment_hashes=[], refs={}
            )
            event.event_id = event_hash.hash_id(event.hash)
            previous = event.hash
            events.append(event)
        Event.objects.bulk_create(events, batch_size=2_000)
        batches.append(batch)
    return batches


def run() -> None:
    from marketplace.catalog.models import Product
    from traceability.models import Batch, Event
    from traceability.selectors import gtin14
    from traceability.verification import verify_all, verify_batch

    batch = Batch.objects.select_related("product").order_by("pk").first()
    path = f"/01/{gtin14(batch.product)}/10/{batch.lot}"
    client = Client()
    size = len(client.get(path).content)
    print(row("trace page (HTML, logs a scan)", measure(lambda: client.get(path)), f"{size} B"))
    json_size = len(client.get(path, HTTP_ACCEPT="application/ld+json").content)
    figures = measure(lambda: client.get(path, HTTP_ACCEPT="application/ld+json"))
    print(row("trace EPCIS JSON-LD", figures, f"{json_size} B"))

    product = Product.objects.exclude(gtin=None).first()
    (big,) = _synthetic_chains(product, 1, LOT_EVENTS, "BENCHBIG")
    big = Batch.objects.select_related("product").get(pk=big.pk)
    figures = measure(lambda: verify_batch(big), repeat=10, warmup=1)
    assert verify_batch(big).valid
    print(row(f"verify one lot of {LOT_EVENTS:,} events", figures))

    existing = Event.objects.count()
    lots = max(0, (TOTAL_EVENTS - existing - LOT_EVENTS) // LOT_EVENTS)
    started = time.perf_counter()
    _synthetic_chains(product, lots, LOT_EVENTS, "BENCH")
    print(f"  (built {lots} more lots in {time.perf_counter() - started:.1f} s)")
    started = time.perf_counter()
    results = list(verify_all())
    elapsed = time.perf_counter() - started
    total = sum(status.checked for _, status in results)
    assert all(status.valid for _, status in results)
    print(
        f"verify all: {len(results):,} lots, {total:,} events in {elapsed:.2f} s "
        f"({total / elapsed:,.0f} events/s)"
    )
