import graphene
from graphene_file_upload.scalars import Upload

from marketplace.access import Permission, public
from marketplace.errors import DomainError
from marketplace.graphql.core import Error, query_error
from marketplace.graphql.mutations import DomainMutation
from traceability import scans
from traceability.errors import TraceError
from traceability.events import EventData, correct_member_event, record_member_event
from traceability.evidence import MAX_BYTES, Evidence
from traceability.graphql.types import TraceBatch, TraceEvent
from traceability.lots import BatchData, create_member_batch
from traceability.selectors import find_batch
from traceability.verification import trace


class Queries(graphene.ObjectType):
    trace_batch = graphene.Field(
        TraceBatch,
        gtin=graphene.String(required=True, description="GTIN-13 or GTIN-14."),
        lot=graphene.String(required=True),
        description="A lot's trace: its events and whether their hash chain still verifies.",
    )

    @staticmethod
    @public("the consumer trace page's data: what the QR code on the package shows anyone")
    def resolve_trace_batch(root, info, gtin, lot):
        try:
            batch = find_batch(gtin, lot)
        except DomainError as exc:
            raise query_error(exc) from exc
        return trace(batch) if batch else None


class BatchCreateInput(graphene.InputObjectType):
    sku = graphene.String(required=True)
    lot = graphene.String(required=True)
    packed_on = graphene.Date(required=True)
    best_before = graphene.Date()
    units = graphene.Int(required=True)
    serialised = graphene.Boolean(default_value=False)


class BatchCreatePayload(graphene.ObjectType):
    batch = graphene.Field(TraceBatch)
    errors = graphene.List(graphene.NonNull(Error), required=True)


class BatchCreate(DomainMutation):
    """Create a lot of one of your own products (serialised lots get random unit serials)."""

    class Arguments:
        input = BatchCreateInput(required=True)

    Output = BatchCreatePayload
    # Anonymous: UNAUTHENTICATED; a lot that is not the user's answers NOT_FOUND.
    permission = Permission.SIGNED_IN
    error_codes = (TraceError,)

    @classmethod
    def perform(cls, info, input):
        batch, _ = create_member_batch(
            info.context.user,
            input.sku,
            BatchData(
                product=None,
                lot=input.lot,
                packed_on=input.packed_on,
                best_before=input.best_before,
                units=input.units,
                serialised=bool(input.serialised),
            ),
        )
        return BatchCreatePayload(batch=trace(batch), errors=[])


class TraceEventFieldsInput(graphene.InputObjectType):
    """What happened, when and where (the lot is given separately)."""

    event_type = graphene.String(required=True, description="ObjectEvent, TransformationEvent…")
    action = graphene.String(description="ADD, OBSERVE or DELETE; none for TransformationEvent.")
    biz_step = graphene.String(required=True)
    disposition = graphene.String()
    event_time = graphene.DateTime(required=True, description="ISO 8601 with offset.")
    ward_code = graphene.String()
    place = graphene.String()
    quantity = graphene.Decimal()
    uom = graphene.String()
    note = graphene.String()
    inspector = graphene.String(description="Staff only: the inspection body recorded for.")
    attachments = graphene.List(
        graphene.NonNull(Upload), description="Photos (JPEG/PNG/WebP) or PDFs, 5 MB each."
    )


class TraceEventInput(TraceEventFieldsInput):
    gtin = graphene.String(required=True)
    lot = graphene.String(required=True)


def _event_data(input) -> EventData:
    return EventData(
        event_type=input.event_type,
        action=input.action or "",
        biz_step=input.biz_step,
        disposition=input.disposition or "",
        event_time=input.event_time,
        actor="",  # decided by the service from who is recording
        ward_code=input.ward_code or "",
        place=input.place or "",
        quantity=input.quantity,
        uom=input.uom or "",
        note=input.note or "",
        # read one byte past the limit so an oversized file is refused, not truncated
        attachments=[
            Evidence(getattr(f, "name", "tep"), f.read(MAX_BYTES + 1))
            for f in (input.attachments or [])
        ],
    )


class TraceEventRecordPayload(graphene.ObjectType):
    event = graphene.Field(TraceEvent)
    errors = graphene.List(graphene.NonNull(Error), required=True)


class TraceEventRecord(DomainMutation):
    """Append an event to your own lot's chain (nothing can be edited afterwards)."""

    class Arguments:
        input = TraceEventInput(required=True)

    Output = TraceEventRecordPayload
    # Anonymous: UNAUTHENTICATED; a lot that is not the user's answers NOT_FOUND.
    permission = Permission.SIGNED_IN
    error_codes = (TraceError,)

    @classmethod
    def perform(cls, info, input):
        event = record_member_event(
            info.context.user,
            input.gtin,
            input.lot,
            _event_data(input),
            inspector=input.inspector or "",
        )
        return TraceEventRecordPayload(event=event, errors=[])


class ErrorReason(graphene.Enum):
    INCORRECT_DATA = "incorrect_data"
    DID_NOT_OCCUR = "did_not_occur"


class TraceEventCorrectPayload(graphene.ObjectType):
    declaration = graphene.Field(TraceEvent, description="The error declaration.")
    correction = graphene.Field(TraceEvent, description="What really happened, if anything.")
    errors = graphene.List(graphene.NonNull(Error), required=True)


class TraceEventCorrect(DomainMutation):
    """Declare one of your lot's events wrong and record what really happened (if anything)."""

    class Arguments:
        event_id = graphene.String(
            required=True, description="eventID (ni:///sha-256;…?ver=CBV2.0) of the wrong event."
        )
        reason = ErrorReason(required=True)
        corrected = TraceEventFieldsInput(description="Omit when the event did not occur at all.")

    Output = TraceEventCorrectPayload
    # Anonymous: UNAUTHENTICATED; a lot that is not the user's answers NOT_FOUND.
    permission = Permission.SIGNED_IN
    error_codes = (TraceError,)

    @classmethod
    def perform(cls, info, event_id, reason, corrected=None):
        reason = reason.value if hasattr(reason, "value") else reason
        declaration, correction = correct_member_event(
            info.context.user,
            event_id,
            _event_data(corrected) if corrected else None,
            reason=reason,
        )
        return TraceEventCorrectPayload(declaration=declaration, correction=correction, errors=[])


class UnitMarkSoldPayload(graphene.ObjectType):
    serial = graphene.String()
    sold_at = graphene.DateTime()
    errors = graphene.List(graphene.NonNull(Error), required=True)


class UnitMarkSold(DomainMutation):
    """Record that one serialised unit of your lot was sold, and in which region; a later scan
    from another region flags the serial as suspicious."""

    class Arguments:
        gtin = graphene.String(required=True)
        lot = graphene.String(required=True)
        serial = graphene.String(required=True)
        region = graphene.String(required=True)

    Output = UnitMarkSoldPayload
    # Anonymous: UNAUTHENTICATED; a lot that is not the user's answers NOT_FOUND.
    permission = Permission.SIGNED_IN
    error_codes = (TraceError,)

    @classmethod
    def perform(cls, info, gtin, lot, serial, region):
        unit = scans.mark_member_unit_sold(info.context.user, gtin, lot, serial, region)
        return UnitMarkSoldPayload(serial=unit.serial, sold_at=unit.sold_at, errors=[])


class Mutations(graphene.ObjectType):
    batch_create = BatchCreate.Field()
    trace_event_record = TraceEventRecord.Field()
    trace_event_correct = TraceEventCorrect.Field()
    unit_mark_sold = UnitMarkSold.Field()
