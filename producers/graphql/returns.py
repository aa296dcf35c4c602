"""A member's refund-related writes: cancel one line, answer a shopper's return."""

import graphene

from marketplace.access import Permission
from marketplace.checkout.errors import CheckoutError
from marketplace.checkout.graphql.refund_types import ReturnRequest
from marketplace.checkout.graphql.refunds import plain_id
from marketplace.checkout.graphql.types import SubOrder
from marketplace.checkout.services import returns
from marketplace.graphql.core import Error
from marketplace.graphql.mutations import DomainMutation
from marketplace.payments.errors import PaymentError
from producers import fulfilment
from producers.errors import ProducerError


class OrderLineCancel(DomainMutation):
    """Cancel one line of a sub-order not shipped yet; what was paid for it is refunded."""

    permission = Permission.PORTAL
    error_codes = (ProducerError, CheckoutError, PaymentError)
    field_names = {"cancel_reason": "reason", "line": "line_id"}

    class Arguments:
        line_id = graphene.ID(required=True, description="OrderLine id (SubOrder.lines.id).")
        reason = graphene.String(required=True, description="Lý do huỷ, báo cho khách.")

    sub_order = graphene.Field(SubOrder)
    errors = graphene.List(graphene.NonNull(Error), required=True)

    @classmethod
    def perform(cls, info, line_id, reason):
        pk = plain_id(line_id, "line")
        sub = fulfilment.cancel_order_line(info.context.user, pk, reason)
        return OrderLineCancel(sub_order=sub, errors=[])


class ReturnRespond(DomainMutation):
    """The producer accepts a return (it is refunded) or disputes it with a note (staff decide)."""

    permission = Permission.PORTAL
    error_codes = (ProducerError, CheckoutError, PaymentError)
    field_names = {"return": "id"}

    class Arguments:
        id = graphene.ID(required=True, description="SubOrder.returnRequest.id")
        accept = graphene.Boolean(required=True)
        note = graphene.String(default_value="", description="Bắt buộc khi không đồng ý.")

    return_request = graphene.Field(ReturnRequest)
    errors = graphene.List(graphene.NonNull(Error), required=True)

    @classmethod
    def perform(cls, info, id, accept, note=""):
        item = returns.respond(info.context.user, plain_id(id, "return"), accept, note)
        return ReturnRespond(return_request=item, errors=[])


class Mutations(graphene.ObjectType):
    order_line_cancel = OrderLineCancel.Field()
    return_respond = ReturnRespond.Field()
