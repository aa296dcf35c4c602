"""GraphQL types of refunds and returns (on Order and SubOrder)."""

import graphene
from graphql_relay import to_global_id

from marketplace.checkout import models as checkout_models
from marketplace.graphql.core import Money, enum_of
from marketplace.payments import models as payment_models

RefundStatus = enum_of(payment_models.RefundStatus, "RefundStatus")
RefundChannel = enum_of(payment_models.RefundChannel, "RefundChannel")
RefundReason = enum_of(payment_models.RefundReason, "RefundReason")
ReturnStatus = enum_of(checkout_models.ReturnStatus, "ReturnStatus")


class Refund(graphene.ObjectType):
    id = graphene.ID(required=True, description="What refundMarkPaid(id:) takes.")
    sub_order_id = graphene.ID(required=True)
    amount = graphene.Field(Money, required=True)
    status = graphene.Field(RefundStatus, required=True)
    channel = graphene.Field(RefundChannel, required=True)
    reason = graphene.Field(RefundReason, required=True)
    bank_reference = graphene.String(
        required=True, description="The bank's reference once staff sent a bank refund."
    )
    created_at = graphene.DateTime(required=True)
    completed_at = graphene.DateTime()

    def resolve_id(refund, info):
        return str(refund.pk)

    def resolve_sub_order_id(refund, info):
        return str(refund.sub_order_id)

    def resolve_amount(refund, info):
        return Money.vnd(refund.amount)

    def resolve_status(refund, info):
        return str(refund.status)

    def resolve_channel(refund, info):
        return str(refund.channel)

    def resolve_reason(refund, info):
        return str(refund.reason)


class ReturnLine(graphene.ObjectType):
    line_id = graphene.ID(required=True, description="OrderLine id (global).")
    quantity = graphene.Int(required=True)

    def resolve_line_id(row, info):
        return to_global_id("OrderLine", row.line_id)


class ReturnRequest(graphene.ObjectType):
    id = graphene.ID(required=True, description="What returnRespond / returnDecide take.")
    status = graphene.Field(ReturnStatus, required=True)
    reason = graphene.String(required=True)
    amount = graphene.Field(Money, required=True, description="Refunded when accepted.")
    line_ids = graphene.List(
        graphene.NonNull(graphene.ID),
        required=True,
        description="The lines sent back (OrderLine ids); empty: the whole sub-order.",
    )
    lines = graphene.List(
        graphene.NonNull(ReturnLine),
        required=True,
        description="Units sent back per line; empty: the whole sub-order.",
    )
    producer_note = graphene.String(required=True)
    decision_note = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    decided_at = graphene.DateTime()

    def resolve_id(item, info):
        return str(item.pk)

    def resolve_status(item, info):
        return str(item.status)

    def resolve_amount(item, info):
        return Money.vnd(item.amount)

    def resolve_line_ids(item, info):
        return [to_global_id("OrderLine", line.pk) for line in item.lines.all()]

    def resolve_lines(item, info):
        return item.items.all()
