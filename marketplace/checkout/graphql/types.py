"""GraphQL types for carts, checkouts and orders (names as in the public contract)."""

import graphene
from django.urls import reverse
from graphql_relay import to_global_id

from marketplace.catalog.graphql.types import Producer, Product
from marketplace.checkout import models as checkout_models
from marketplace.checkout.graphql.refund_types import Refund, ReturnRequest
from marketplace.checkout.payment_state import PaymentState, cod_amount, payment_state
from marketplace.graphql.core import Money, enum_of
from marketplace.payments import models as payment_models

PaymentMethod = enum_of(payment_models.PaymentMethod, "PaymentMethod")
PaymentStatus = enum_of(payment_models.PaymentStatus, "PaymentStatus")
OrderStatus = enum_of(checkout_models.OrderStatus, "OrderStatus")


class AddressInput(graphene.InputObjectType):
    full_name = graphene.String(required=True)
    phone = graphene.String(required=True)
    province_code = graphene.String(required=True)
    ward_code = graphene.String(required=True)
    street_address = graphene.String(required=True)
    postal_code = graphene.String()
    vpostcode = graphene.String()
    latitude = graphene.Float(description="Ghim bản đồ (không bắt buộc), để tính VPostcode.")
    longitude = graphene.Float()


class CheckoutLineInput(graphene.InputObjectType):
    sku = graphene.String(required=True)
    quantity = graphene.Int(required=True)


class Address(graphene.ObjectType):
    full_name = graphene.String(required=True)
    phone = graphene.String(required=True)
    province_code = graphene.String(required=True)
    province_name = graphene.String(required=True)
    ward_code = graphene.String(required=True)
    ward_name = graphene.String(required=True)
    street_address = graphene.String(required=True)
    postal_code = graphene.String(required=True)
    vpostcode = graphene.String(required=True)

    @staticmethod
    def of(row) -> "Address":
        return Address(
            full_name=row.full_name,
            phone=row.address_phone,
            province_code=row.province_id,
            province_name=row.province.name,
            ward_code=row.ward_id,
            ward_name=row.ward.name,
            street_address=row.street_address,
            postal_code=row.postal_code,
            vpostcode=row.vpostcode,
        )


class CheckoutLine(graphene.ObjectType):
    sku = graphene.String(required=True)
    name = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(Money, required=True)

    def resolve_sku(line, info):
        return line.product.sku

    def resolve_name(line, info):
        return line.product.name

    def resolve_unit_price(line, info):
        return Money.vnd(line.unit_price)


class Checkout(graphene.ObjectType):
    id = graphene.ID(required=True)
    email = graphene.String()
    phone = graphene.String()
    lines = graphene.List(graphene.NonNull(CheckoutLine), required=True)
    subtotal = graphene.Field(Money, required=True)
    shipping_price = graphene.Field(Money, required=True)
    total_price = graphene.Field(Money, required=True)
    shipping_address = graphene.Field(Address, required=True)

    def resolve_id(checkout, info):
        return str(checkout.pk)

    def resolve_lines(checkout, info):
        return checkout.lines.select_related("product")

    def resolve_subtotal(checkout, info):
        return Money.vnd(checkout.subtotal)

    def resolve_shipping_price(checkout, info):
        return Money.vnd(checkout.shipping_total)

    def resolve_total_price(checkout, info):
        return Money.vnd(checkout.total)

    def resolve_shipping_address(checkout, info):
        return Address.of(checkout)


class SubOrderPaymentStatus(graphene.Enum):
    """What the producer may do: ship PAID and COD; wait while AWAITING."""

    PAID = "PAID"
    AWAITING = "AWAITING"
    COD = "COD"


class OrderLine(graphene.ObjectType):
    id = graphene.ID(required=True, description="What reviewCreate(input: {lineId}) takes.")
    sku = graphene.String(required=True)
    name = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(Money, required=True)
    total = graphene.Field(Money, required=True)
    lots = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Mã các lô đã gửi hàng từ đó (ghi khi gửi hàng).",
    )
    cancelled_at = graphene.DateTime(description="Set when this line was cancelled.")

    def resolve_id(line, info):
        return to_global_id("OrderLine", line.pk)

    def resolve_lots(line, info):
        return [item.batch.lot for item in line.lots.all()]

    def resolve_unit_price(line, info):
        return Money.vnd(line.unit_price)

    def resolve_total(line, info):
        return Money.vnd(line.line_total)


class SubOrder(graphene.ObjectType):
    id = graphene.ID(required=True, description="What subOrderUpdate(id:) takes.")
    number = graphene.String(required=True, description="The order's number (on the slip).")
    producer = graphene.Field(Producer, required=True)
    status = graphene.Field(OrderStatus, required=True)
    note = graphene.String(required=True, description="The shopper's note.")
    payment_method = graphene.Field(PaymentMethod)
    payment_status = graphene.Field(SubOrderPaymentStatus, required=True)
    cod_amount = graphene.Field(
        Money, required=True, description="To collect on delivery (0 unless COD)."
    )
    recipient = graphene.Field(lambda: Address, required=True)
    shipping_slip_url = graphene.String(
        description="A6 PDF slip (Code 128 of the number); null while payment is awaited."
    )
    shipping_fee = graphene.Field(Money, required=True)
    subtotal = graphene.Field(Money, required=True)
    total = graphene.Field(Money, required=True)
    weight_g = graphene.Int(required=True)
    lines = graphene.List(graphene.NonNull(OrderLine), required=True)
    carrier = graphene.String(required=True, description="Đơn vị vận chuyển, khi đã gửi.")
    tracking_number = graphene.String(required=True, description="Mã vận đơn, khi đã gửi.")
    shipped_at = graphene.DateTime()
    delivered_at = graphene.DateTime()
    cancel_reason = graphene.String(required=True)
    return_request = graphene.Field(ReturnRequest, description="The shopper's return, if any.")

    def resolve_return_request(sub, info):
        return getattr(sub, "return_request", None)

    def resolve_status(sub, info):
        return str(sub.status)

    def resolve_shipping_fee(sub, info):
        return Money.vnd(sub.shipping_fee)

    def resolve_subtotal(sub, info):
        return Money.vnd(sub.subtotal)

    def resolve_total(sub, info):
        return Money.vnd(sub.total)

    def resolve_lines(sub, info):
        return sub.lines.all()

    def resolve_id(sub, info):
        return str(sub.pk)

    def resolve_number(sub, info):
        return sub.order.number

    def resolve_note(sub, info):
        return sub.order.note

    def resolve_payment_method(sub, info):
        payment = getattr(sub.order, "payment", None)
        return str(payment.method) if payment else None

    def resolve_payment_status(sub, info):
        return str(payment_state(getattr(sub.order, "payment", None)))

    def resolve_cod_amount(sub, info):
        return Money.vnd(cod_amount(sub, getattr(sub.order, "payment", None)))

    def resolve_recipient(sub, info):
        return Address.of(sub.order)

    def resolve_shipping_slip_url(sub, info):
        state = payment_state(getattr(sub.order, "payment", None))
        if state == PaymentState.AWAITING or sub.status == "cancelled":
            return None
        return info.context.build_absolute_uri(reverse("portal:order_slip", args=[sub.pk]))


class Payment(graphene.ObjectType):
    method = graphene.Field(PaymentMethod, required=True)
    status = graphene.Field(PaymentStatus, required=True)
    amount = graphene.Field(Money, required=True)
    vietqr_payload = graphene.String(description="Nội dung mã VietQR (EMVCo), khi chọn VietQR.")
    stripe_client_secret = graphene.String(description="Để xác nhận thẻ bằng Stripe.js.")

    def resolve_method(payment, info):
        return str(payment.method)

    def resolve_status(payment, info):
        return str(payment.status)

    def resolve_amount(payment, info):
        return Money.vnd(payment.amount)

    def resolve_vietqr_payload(payment, info):
        return payment.vietqr_payload or None

    def resolve_stripe_client_secret(payment, info):
        return payment.stripe_client_secret or None


class Order(graphene.ObjectType):
    number = graphene.String(required=True)
    status = graphene.Field(OrderStatus, required=True)
    created_at = graphene.DateTime(required=True)
    subtotal = graphene.Field(Money, required=True)
    shipping_price = graphene.Field(Money, required=True)
    total = graphene.Field(Money, required=True)
    shipping_address = graphene.Field(Address, required=True)
    sub_orders = graphene.List(graphene.NonNull(SubOrder), required=True)
    payment = graphene.Field(Payment)
    refunds = graphene.List(graphene.NonNull(Refund), required=True)

    def resolve_refunds(order, info):
        payment = getattr(order, "payment", None)
        return payment.refunds.all() if payment else []

    def resolve_status(order, info):
        return str(order.status)  # a TextChoices member on a fresh row, a str once loaded

    def resolve_subtotal(order, info):
        return Money.vnd(order.subtotal)

    def resolve_shipping_price(order, info):
        return Money.vnd(order.shipping_total)

    def resolve_total(order, info):
        return Money.vnd(order.total)

    def resolve_shipping_address(order, info):
        return Address.of(order)

    def resolve_sub_orders(order, info):
        return order.sub_orders.all()

    def resolve_payment(order, info):
        return getattr(order, "payment", None)


class CartLine(graphene.ObjectType):
    product = graphene.Field(Product, required=True)
    quantity = graphene.Int(required=True)
    total = graphene.Field(Money, required=True)

    def resolve_total(line, info):
        return Money.vnd(line.product.price * line.quantity)


class Cart(graphene.ObjectType):
    token = graphene.String(required=True)
    lines = graphene.List(graphene.NonNull(CartLine), required=True)
    subtotal = graphene.Field(Money, required=True)

    def resolve_token(cart, info):
        return str(cart.token)

    def resolve_lines(cart, info):
        return cart.lines.select_related("product").order_by("id")

    def resolve_subtotal(cart, info):
        lines = cart.lines.select_related("product")
        return Money.vnd(sum(line.product.price * line.quantity for line in lines))
