import graphene
from django.urls import reverse

from marketplace.catalog.graphql.types import Product
from traceability import digital_link, integrity, selectors, vocab
from traceability.models import Batch
from traceability.selectors import event_timezone


class TraceEvent(graphene.ObjectType):
    event_id = graphene.String(
        required=True,
        description="CBV 2.0 event hash ID of this record (ni:///sha-256;…?ver=CBV2.0).",
    )
    seq = graphene.Int(required=True, description="Position in the lot's chain, from 1.")
    event_type = graphene.String(required=True)
    action = graphene.String()
    biz_step = graphene.String(required=True, description="CBV name or urn:ocop:bizstep:*.")
    biz_step_label = graphene.String(required=True, description="Tên bước (tiếng Việt).")
    disposition = graphene.String()
    event_time = graphene.DateTime(required=True, description="With the offset it happened in.")
    record_time = graphene.DateTime(required=True)
    ward_code = graphene.String()
    place = graphene.String()
    actor = graphene.String(required=True)
    actor_is_inspector = graphene.Boolean(required=True)
    quantity = graphene.Float()
    uom = graphene.String(description="UN/ECE Rec. 20 unit code, e.g. KGM.")
    note = graphene.String()
    corrects_event_id = graphene.String()
    declares_error_on_event_id = graphene.String()
    error_reason = graphene.String()
    hash = graphene.String(required=True)
    prev_hash = graphene.String(required=True)

    @staticmethod
    def resolve_event_id(event, info):
        return event.urn

    @staticmethod
    def resolve_biz_step_label(event, info):
        return vocab.biz_step_label(event.biz_step)

    @staticmethod
    def resolve_event_time(event, info):
        return event.event_time.astimezone(event_timezone(event))

    @staticmethod
    def resolve_ward_code(event, info):
        return event.ward_id

    @staticmethod
    def resolve_quantity(event, info):
        return None if event.quantity is None else float(event.quantity)

    @staticmethod
    def resolve_corrects_event_id(event, info):
        return event.corrects.urn if event.corrects_id else None

    @staticmethod
    def resolve_declares_error_on_event_id(event, info):
        return event.declares_error_on.urn if event.declares_error_on_id else None


class TraceFlag(graphene.ObjectType):
    rule = graphene.String(required=True)
    serial = graphene.String()
    detail = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    @staticmethod
    def resolve_serial(flag, info):
        return flag.unit.serial if flag.unit_id else None


class IntegrityStatus(graphene.Enum):
    INTACT_ANCHORED = "INTACT_ANCHORED"
    INTACT_UNANCHORED = "INTACT_UNANCHORED"
    BROKEN = "BROKEN"


class TraceIntegrity(graphene.ObjectType):
    status = graphene.Field(IntegrityStatus, required=True)
    anchored_at = graphene.DateTime(description="When the signed tree head proving it was made.")
    unanchored_since = graphene.DateTime(description="Record time of the first unsigned event.")
    problems = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="edited | deleted | reordered | missing | forged_checkpoint | log_rewritten",
    )
    details = graphene.List(graphene.NonNull(graphene.String), required=True)

    @staticmethod
    def resolve_status(result, info):
        return result.status

    @staticmethod
    def resolve_problems(result, info):
        return result.problem_codes

    @staticmethod
    def resolve_details(result, info):
        return [p.detail for p in result.problems]


class TraceBatch(graphene.ObjectType):
    gtin = graphene.String(required=True, description="The product's GTIN-13.")
    gtin14 = graphene.String(required=True)
    lot = graphene.String(required=True)
    product = graphene.Field(Product, required=True)
    packed_on = graphene.Date(required=True)
    best_before = graphene.Date()
    units = graphene.Int(required=True)
    serialised = graphene.Boolean(required=True)
    digital_link = graphene.String(required=True, description="The URI printed in the QR code.")
    events = graphene.List(graphene.NonNull(TraceEvent), required=True)
    chain_valid = graphene.Boolean(required=True, description="False exactly when BROKEN.")
    integrity = graphene.Field(TraceIntegrity, required=True)
    chain_head = graphene.String(description="Hash of the lot's last event.")
    chain_broken_at = graphene.Int(description="Seq of the first event that does not verify.")
    recalled = graphene.Boolean(required=True)
    inspected = graphene.Boolean(required=True)
    label_sheet_url = graphene.String(
        description="A4 PDF of QR labels to print; only for the lot's producer and staff."
    )
    flags = graphene.List(
        graphene.NonNull(TraceFlag),
        description="Counterfeit suspicions; only the lot's producer and staff see them.",
    )

    # The root is a services.Trace: one verification serves events and chain fields.
    @staticmethod
    def resolve_gtin(trace, info):
        return trace.batch.product.gtin

    @staticmethod
    def resolve_gtin14(trace, info):
        return selectors.gtin14(trace.batch.product)

    @staticmethod
    def resolve_lot(trace, info):
        return trace.batch.lot

    @staticmethod
    def resolve_product(trace, info):
        return trace.batch.product

    @staticmethod
    def resolve_packed_on(trace, info):
        return trace.batch.packed_on

    @staticmethod
    def resolve_best_before(trace, info):
        return trace.batch.best_before

    @staticmethod
    def resolve_units(trace, info):
        return trace.batch.units

    @staticmethod
    def resolve_serialised(trace, info):
        return trace.batch.serialised

    @staticmethod
    def resolve_digital_link(trace, info):
        return digital_link.uri_for(trace.batch)

    @staticmethod
    def resolve_events(trace, info):
        return trace.events

    @staticmethod
    def resolve_chain_valid(trace, info):
        return integrity.of(trace).chain_valid

    @staticmethod
    def resolve_integrity(trace, info):
        return integrity.of(trace)

    @staticmethod
    def resolve_chain_head(trace, info):
        return trace.status.head or None

    @staticmethod
    def resolve_chain_broken_at(trace, info):
        return trace.status.broken_at

    @staticmethod
    def resolve_flags(trace, info):
        if not Batch.objects.for_member(info.context.user).filter(pk=trace.batch.pk).exists():
            return None
        return trace.batch.flags.select_related("unit")

    @staticmethod
    def resolve_label_sheet_url(trace, info):
        if not Batch.objects.for_member(info.context.user).filter(pk=trace.batch.pk).exists():
            return None
        return reverse("traceability:label_sheet", args=[trace.batch.pk])
