"""Append-only events of a lot: recording, importing once, and correcting by new events.

Each event is hash-chained to the previous one of its lot under the lot's row lock.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace import access
from marketplace.access import Permission
from marketplace.addresses.models import Ward
from marketplace.errors import DomainError, ValidationFailed
from marketplace.text import nfc, nfc_lines
from traceability import chain, event_hash, vocab
from traceability.errors import TraceError
from traceability.evidence import EXTENSIONS, Evidence, sha256_hex, sniff_content_type
from traceability.models import Attachment, Batch, Event, EventType
from traceability.selectors import batch_for_member, event_timezone, gtin14

# A phone or server clock a little ahead is not fraud; more than this is.
CLOCK_SKEW = datetime.timedelta(minutes=5)
_UOM = re.compile(r"^[A-Z0-9]{2,3}$")


@dataclass
class EventData:
    event_type: str
    biz_step: str
    event_time: datetime.datetime
    actor: str
    action: str = ""
    disposition: str = ""
    actor_is_inspector: bool = False
    ward_code: str = ""
    place: str = ""
    quantity: Decimal | None = None
    uom: str = ""
    note: str = ""
    source_ref: str = ""
    attachments: list[Evidence] = field(default_factory=list)


def _offset(moment: datetime.datetime) -> str:
    seconds = int(moment.utcoffset().total_seconds())
    sign = "+" if seconds >= 0 else "-"
    hours, minutes = divmod(abs(seconds) // 60, 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def _validate(data: EventData) -> list[DomainError]:
    errors = []
    if data.event_type not in EventType.values:
        errors.append(
            DomainError(
                TraceError.INVALID_EVENT_TYPE,
                gettext("Loại sự kiện '%(event_type)s' không hợp lệ.")
                % {"event_type": data.event_type},
                "event_type",
            )
        )
    if data.event_type == EventType.TRANSFORMATION:
        if data.action:
            errors.append(
                DomainError(
                    TraceError.INVALID_ACTION,
                    gettext("TransformationEvent không có action."),
                    "action",
                )
            )
    elif data.action not in vocab.ACTIONS:
        errors.append(
            DomainError(
                TraceError.INVALID_ACTION,
                gettext("action phải là ADD, OBSERVE hoặc DELETE."),
                "action",
            )
        )
    if not vocab.is_valid_biz_step(data.biz_step):
        errors.append(
            DomainError(
                TraceError.INVALID_BIZ_STEP,
                gettext("Bước '%(biz_step)s' không phải tên CBV hay urn:ocop:bizstep:<tên>.")
                % {"biz_step": data.biz_step},
                "biz_step",
            )
        )
    if data.disposition and data.disposition not in vocab.DISPOSITIONS:
        errors.append(
            DomainError(
                TraceError.INVALID_DISPOSITION,
                gettext("Trạng thái '%(disposition)s' không có trong CBV.")
                % {"disposition": data.disposition},
                "disposition",
            )
        )
    if timezone.is_naive(data.event_time):
        errors.append(
            DomainError(
                TraceError.INVALID_TIME,
                gettext("Thời điểm phải kèm múi giờ, ví dụ +07:00."),
                "event_time",
            )
        )
    if not nfc(data.actor):
        errors.append(
            DomainError(TraceError.REQUIRED, gettext("Cần tên đơn vị thực hiện."), "actor")
        )
    if data.quantity is not None:
        if data.quantity < 0:
            errors.append(
                DomainError(
                    TraceError.INVALID_QUANTITY, gettext("Số lượng không được âm."), "quantity"
                )
            )
        if not _UOM.match(data.uom or ""):
            errors.append(
                DomainError(
                    TraceError.INVALID_UOM,
                    gettext("Đơn vị phải là mã UN/ECE, ví dụ KGM, EA."),
                    "uom",
                )
            )
    elif data.uom:
        errors.append(
            DomainError(TraceError.REQUIRED, gettext("Có đơn vị thì cần số lượng."), "quantity")
        )
    if data.ward_code and not Ward.objects.filter(pk=data.ward_code).exists():
        errors.append(
            DomainError(
                TraceError.UNKNOWN_WARD,
                gettext("Không có xã/phường '%(ward_code)s'.") % {"ward_code": data.ward_code},
                "ward",
            )
        )
    return errors


def _check_time(batch: Batch, moment: datetime.datetime, now: datetime.datetime) -> None:
    if moment > now + CLOCK_SKEW:
        raise DomainError(
            TraceError.EVENT_IN_FUTURE,
            gettext("Thời điểm %(moment)s ở tương lai; chỉ ghi việc đã xảy ra.")
            % {"moment": moment.isoformat()},
            "event_time",
        )
    last = (
        batch.events.filter(corrects__isnull=True, declares_error_on__isnull=True)
        .order_by("-seq")
        .only("event_time", "seq")
        .first()
    )
    if last is not None and moment < last.event_time:
        raise DomainError(
            TraceError.EVENT_BEFORE_PREVIOUS,
            gettext(
                "Thời điểm %(moment)s sớm hơn sự kiện trước của lô (%(last)s); nếu ghi "
                "sai, hãy dùng đính chính."
            )
            % {"moment": moment.isoformat(), "last": last.event_time.isoformat()},
            "event_time",
        )


def _append(
    batch: Batch,
    data: EventData,
    *,
    now: datetime.datetime,
    corrects: Event | None = None,
    declares_error_on: Event | None = None,
    error_reason: str = "",
) -> Event:
    """Chain one event onto the (locked) lot. Validation has been done by the caller."""
    evidence = [(item, sniff_content_type(item)) for item in data.attachments]
    last = batch.events.order_by("-seq").only("seq", "hash").first()
    event = Event(
        batch=batch,
        seq=(last.seq + 1) if last else 1,
        source_ref=nfc(data.source_ref),
        event_type=data.event_type,
        action=data.action,
        biz_step=data.biz_step,
        disposition=data.disposition,
        # The CBV event hash keeps milliseconds; finer digits would go unprotected.
        event_time=data.event_time.replace(microsecond=data.event_time.microsecond // 1000 * 1000),
        event_tz_offset=_offset(data.event_time),
        record_time=now,
        ward_id=data.ward_code or None,
        place=nfc(data.place),
        actor=nfc(data.actor),
        actor_is_inspector=data.actor_is_inspector,
        quantity=None if data.quantity is None else Decimal(data.quantity),
        uom=data.uom,
        note=nfc_lines(data.note),
        corrects=corrects,
        declares_error_on=declares_error_on,
        error_reason=error_reason,
        prev_hash=last.hash if last else chain.GENESIS,
    )
    refs = {e.pk: e.event_id for e in (corrects, declares_error_on) if e is not None}
    event.hash = chain.event_digest(
        event,
        gtin=gtin14(batch.product),
        lot=batch.lot,
        attachment_hashes=[sha256_hex(item.content) for item, _ in evidence],
        refs=refs,
    )
    event.event_id = event_hash.hash_id(event.hash)
    event.save()
    for item, content_type in evidence:
        digest = sha256_hex(item.content)
        attachment = Attachment(
            event=event,
            name=nfc(item.name)[:200] or digest[:12],
            content_type=content_type,
            size=len(item.content),
            sha256=digest,
        )
        content = ContentFile(item.content)
        content.content_type = content_type  # an object store keeps it and answers with it
        attachment.file.save(f"{digest}{EXTENSIONS[content_type]}", content, save=False)
        attachment.save()
    return event


def _locked(batch: Batch) -> Batch:
    """Lock the lot row so two events cannot both claim the next place in its chain."""
    return Batch.objects.select_for_update().select_related("product").get(pk=batch.pk)


@transaction.atomic
def record_event(batch: Batch, data: EventData, *, now: datetime.datetime | None = None) -> Event:
    """Append an event to a lot's chain. Its time must not be in the future nor go backwards."""
    now = now or timezone.now()
    errors = _validate(data)
    if errors:
        raise ValidationFailed(errors)
    batch = _locked(batch)
    _check_time(batch, data.event_time, now)
    return _append(batch, data, now=now)


@transaction.atomic
def record_sourced_event(batch: Batch, data: EventData) -> tuple[Event, bool]:
    """Record an imported event once: the same `source_ref` again returns the stored one."""
    existing = batch.events.filter(source_ref=nfc(data.source_ref)).first()
    if existing is not None:
        return existing, False
    return record_event(batch, data), True


@transaction.atomic
def correct_event(
    original: Event,
    corrected: EventData | None,
    *,
    reason: str = "incorrect_data",
    now: datetime.datetime | None = None,
) -> tuple[Event, Event | None]:
    """Declare `original` wrong and (unless it did not occur at all) record what really happened.

    Nothing is edited: the chain gains an error declaration (a copy of the original with the
    reason) and, when given, a corrective event. Returns (declaration, correction).
    """
    now = now or timezone.now()
    if reason not in vocab.ERROR_REASONS:
        raise DomainError(
            TraceError.INVALID_REASON, gettext("Lý do đính chính không hợp lệ."), "reason"
        )
    if original.declares_error_on_id:
        raise DomainError(
            TraceError.INVALID_TARGET,
            gettext("Không thể đính chính một lời đính chính."),
            "event_id",
        )
    if reason == "incorrect_data" and corrected is None:
        raise DomainError(
            TraceError.REQUIRED, gettext("Cần nội dung đúng của sự kiện."), "corrected"
        )
    if corrected is not None:
        errors = _validate(corrected)
        if errors:
            raise ValidationFailed(errors)
        if corrected.event_time > now + CLOCK_SKEW:
            raise DomainError(
                TraceError.EVENT_IN_FUTURE, gettext("Thời điểm ở tương lai."), "event_time"
            )
    batch = _locked(original.batch)
    # Checked under the lot's lock: two corrections of one event at once, the second sees the
    # first (and the unique constraint on declares_error_on backs this up).
    if original.error_declarations.exists():
        raise DomainError(
            TraceError.ALREADY_CORRECTED, gettext("Sự kiện này đã được đính chính."), "event_id"
        )
    correction = None
    if corrected is not None:
        correction = _append(batch, corrected, now=now, corrects=original)
    copy = EventData(
        event_type=original.event_type,
        action=original.action,
        biz_step=original.biz_step,
        disposition=original.disposition,
        event_time=original.event_time.astimezone(event_timezone(original)),
        actor=original.actor,
        actor_is_inspector=original.actor_is_inspector,
        ward_code=original.ward_id or "",
        place=original.place,
        quantity=original.quantity,
        uom=original.uom,
        note=original.note,
    )
    declaration = _append(batch, copy, now=now, declares_error_on=original, error_reason=reason)
    return declaration, correction


def record_member_event(
    user, gtin: str, lot: str, data: EventData, *, inspector: str = ""
) -> Event:
    """A member records an event of their own lot, always in their producer's name.

    Only staff may record on behalf of an inspection body (which earns the 'inspected' badge).
    """
    access.require(user, Permission.SIGNED_IN)
    batch = batch_for_member(user, gtin, lot)
    if inspector:
        access.require(user, Permission.RECORD_AS_INSPECTOR)
        data.actor, data.actor_is_inspector = nfc(inspector), True
    else:
        data.actor, data.actor_is_inspector = batch.product.producer.name, False
    return record_event(batch, data)


def correct_member_event(
    user, event_urn: str, corrected: EventData | None, *, reason: str
) -> tuple[Event, Event | None]:
    """A member corrects an event of their own lot; the correction is in their name."""
    access.require(user, Permission.SIGNED_IN)
    original = (
        Event.objects.filter(
            event_id=(event_urn or "").strip(), batch__in=Batch.objects.for_member(user)
        )
        .select_related("batch__product__producer")
        .first()
    )
    if original is None:
        raise DomainError(TraceError.NOT_FOUND, gettext("Không tìm thấy sự kiện này."), "event_id")
    if corrected is not None:
        corrected.actor = original.batch.product.producer.name
        corrected.actor_is_inspector = False
    return correct_event(original, corrected, reason=reason)
