"""Verifying lots' chains, and the trace a consumer page and the API show."""

from collections.abc import Iterator
from dataclasses import dataclass

from traceability import chain
from traceability.models import Attachment, Batch, Event
from traceability.selectors import gtin14, lot_events


def verify_batch(
    batch: Batch,
    events: list[Event] | None = None,
    attachments: dict[int, list[str]] | None = None,
) -> chain.ChainStatus:
    """Recompute a lot's chain. `events` from lot_events() carry their attachments already."""
    if events is None:
        events = lot_events(batch)
    if attachments is None:
        attachments = {e.pk: [a.sha256 for a in e.attachments.all()] for e in events}
    return chain.verify_events(
        events, gtin=gtin14(batch.product), lot=batch.lot, attachments=attachments
    )


def verify_all(chunk: int = 50) -> Iterator[tuple[Batch, chain.ChainStatus]]:
    """Every lot's chain status, a chunk of lots at a time (three queries per chunk)."""
    batches = Batch.objects.select_related("product").order_by("pk")
    last_pk = 0
    while True:
        page = list(batches.filter(pk__gt=last_pk)[:chunk])
        if not page:
            return
        events_by_batch: dict[int, list[Event]] = {b.pk: [] for b in page}
        for event in Event.objects.filter(batch__in=page).order_by("batch_id", "seq"):
            events_by_batch[event.batch_id].append(event)
        attachments: dict[int, list[str]] = {}
        for event_pk, digest in Attachment.objects.filter(event__batch__in=page).values_list(
            "event_id", "sha256"
        ):
            attachments.setdefault(event_pk, []).append(digest)
        for batch in page:
            yield batch, verify_batch(batch, events_by_batch[batch.pk], attachments)
        last_pk = page[-1].pk


@dataclass(frozen=True)
class Trace:
    """Everything the consumer page and the API show about a lot."""

    batch: Batch
    events: list[Event]  # the whole chain, in order
    status: chain.ChainStatus

    @property
    def corrected_ids(self) -> set[int]:
        return {e.declares_error_on_id for e in self.events if e.declares_error_on_id}

    @property
    def timeline(self) -> list[Event]:
        """What happened: declarations are shown on the event they correct, not on their own."""
        return [e for e in self.events if not e.declares_error_on_id]

    @property
    def recalled(self) -> bool:
        corrected = self.corrected_ids
        return any(e.disposition == "recalled" and e.pk not in corrected for e in self.timeline)

    @property
    def inspected(self) -> bool:
        """Only an inspection body's own conformant inspection earns the badge."""
        corrected = self.corrected_ids
        return any(
            e.actor_is_inspector
            and e.biz_step == "inspecting"
            and e.disposition == "conformant"
            and e.pk not in corrected
            for e in self.timeline
        )


def trace(batch: Batch) -> Trace:
    events = lot_events(batch)
    return Trace(batch=batch, events=events, status=verify_batch(batch, events))
