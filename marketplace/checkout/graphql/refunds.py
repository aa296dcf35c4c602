"""Refunds and returns over GraphQL: the shopper's (proved by order number and phone, as the
order lookup, each call counted against its limit) and staff's.

Thin: marketplace.payments.refunds and marketplace.checkout.services.returns decide."""

import graphene
from django.utils.translation import gettext
from graphql_relay import from_global_id

from config import ratelimit
from config.api_errors import ApiError
from marketplace.access import Permission
from marketplace.checkout.errors import CheckoutError
from marketplace.checkout.graphql.refund_types import Refund, ReturnRequest
from marketplace.checkout.selectors import find_order
from marketplace.checkout.services import returns
from marketplace.errors import DomainError
from marketplace.graphql.core import Error, requires
from marketplace.graphql.mutations import DomainMutation
from marketplace.payments import refunds
from marketplace.payments.errors import PaymentError

SHOPPER = "the order number and the phone it was placed with, rate-limited per attempt"


def _shoppers_order(request, number: str, phone: str):
    try:
        ratelimit.hit_client(request, "order-lookup")  # shared with the order lookup
    except ratelimit.RateLimited as exc:
        raise DomainError(ApiError.RATE_LIMITED, exc.message, "number") from exc
    return find_order(number, phone)


def plain_id(raw, field: str) -> int:
    """A plain id, or a global one (OrderLine ids come as global ids)."""
    value = str(raw)
    if not value.isdigit():
        try:
            value = from_global_id(value)[1]
        except (ValueError, TypeError, UnicodeDecodeError):
            value = ""
    if not str(value).isdigit():
        raise DomainError(CheckoutError.NOT_FOUND, gettext("Không tìm thấy."), field)
    return int(value)


class RefundAccount(graphene.ObjectType):
    bank_bin = graphene.String(required=True)
    account_number = graphene.String(required=True)
    holder_name = graphene.String(required=True)


class RefundAccountSet(DomainMutation):
    """Where a bank refund of the order goes (VietQR, or cash collected on delivery)."""

    public = SHOPPER
    error_codes = (CheckoutError, PaymentError, ApiError)

    class Arguments:
        number = graphene.String(required=True)
        phone = graphene.String(required=True)
        bank_bin = graphene.String(required=True, description="NAPAS BIN, e.g. 970436.")
        account_number = graphene.String(required=True)
        holder_name = graphene.String(required=True)

    refund_account = graphene.Field(RefundAccount)
    errors = graphene.List(graphene.NonNull(Error), required=True)

    @classmethod
    def perform(cls, info, number, phone, bank_bin, account_number, holder_name):
        order = _shoppers_order(info.context, number, phone)
        account = refunds.set_refund_account(order.payment, bank_bin, account_number, holder_name)
        return RefundAccountSet(refund_account=account, errors=[])


class ReturnLineInput(graphene.InputObjectType):
    line_id = graphene.ID(required=True, description="OrderLine id (SubOrder.lines.id).")
    quantity = graphene.Int(required=True, description="Units sent back, at most those delivered.")


class ReturnRequestCreate(DomainMutation):
    """Send a delivered sub-order (or some of its lines, or some units of them) back within the
    return window."""

    public = SHOPPER
    error_codes = (CheckoutError, ApiError)
    field_names = {"sub_order": "sub_order_id", "lines": "line_ids"}

    class Arguments:
        number = graphene.String(required=True)
        phone = graphene.String(required=True)
        sub_order_id = graphene.ID(required=True, description="Order.subOrders.id")
        reason = graphene.String(required=True)
        line_ids = graphene.List(
            graphene.NonNull(graphene.ID), description="OrderLine ids; none: the whole part."
        )
        quantities = graphene.List(
            graphene.NonNull(ReturnLineInput),
            description="Units per line (instead of, or with, lineIds: these count).",
        )

    return_request = graphene.Field(ReturnRequest)
    errors = graphene.List(graphene.NonNull(Error), required=True)

    @classmethod
    def perform(cls, info, number, phone, sub_order_id, reason, line_ids=None, quantities=None):
        order = _shoppers_order(info.context, number, phone)
        lines = [plain_id(raw, "lines") for raw in line_ids or []]
        units = (
            {plain_id(row.line_id, "lines"): row.quantity for row in quantities}
            if quantities is not None
            else None
        )
        item = returns.request_return(
            order, plain_id(sub_order_id, "sub_order"), reason, lines, units
        )
        return ReturnRequestCreate(return_request=item, errors=[])


class ReturnDecide(DomainMutation):
    """Staff settle a return the producer disputed."""

    permission = Permission.REFUNDS
    error_codes = (CheckoutError, PaymentError)
    field_names = {"return": "id"}

    class Arguments:
        id = graphene.ID(required=True)
        accept = graphene.Boolean(required=True)
        note = graphene.String(default_value="", description="Bắt buộc khi từ chối.")

    return_request = graphene.Field(ReturnRequest)
    errors = graphene.List(graphene.NonNull(Error), required=True)

    @classmethod
    def perform(cls, info, id, accept, note=""):
        item = returns.decide(info.context.user, plain_id(id, "return"), accept, note)
        return ReturnDecide(return_request=item, errors=[])


class RefundMarkPaid(DomainMutation):
    """Staff sent a bank refund: the bank's reference, posted once."""

    permission = Permission.REFUNDS
    error_codes = (PaymentError,)
    field_names = {"refund": "id"}

    class Arguments:
        id = graphene.ID(required=True, description="Refund.id")
        bank_reference = graphene.String(required=True)

    refund = graphene.Field(Refund)
    errors = graphene.List(graphene.NonNull(Error), required=True)

    @classmethod
    def perform(cls, info, id, bank_reference):
        if not str(id).isdigit():
            raise DomainError(
                PaymentError.NOT_FOUND, gettext("Không tìm thấy khoản hoàn tiền."), "refund"
            )
        item = refunds.mark_paid(info.context.user, int(id), bank_reference)
        return RefundMarkPaid(refund=item, errors=[])


class Queries(graphene.ObjectType):
    refunds_pending = graphene.List(
        graphene.NonNull(Refund),
        required=True,
        description="Bank refunds staff have to send, oldest first (staff only).",
    )

    @staticmethod
    @requires(Permission.REFUNDS)
    def resolve_refunds_pending(root, info):
        return refunds.pending_bank_refunds()[:200]


class Mutations(graphene.ObjectType):
    refund_account_set = RefundAccountSet.Field()
    return_request = ReturnRequestCreate.Field()
    return_decide = ReturnDecide.Field()
    refund_mark_paid = RefundMarkPaid.Field()
