"""Buying over GraphQL: cart line mutations, checkoutCreate, checkoutComplete, order lookup.

Thin: shapes input, calls marketplace.checkout.services, maps DomainError to `errors`.
"""

import graphene

from config.ratelimit import limited_resolver
from marketplace.access import public
from marketplace.addresses.conversion import convert_old_address
from marketplace.addresses.errors import AddressError
from marketplace.addresses.services import AddressInput as AddressData
from marketplace.addresses.services import address_from_vpostcode
from marketplace.checkout.errors import CheckoutError
from marketplace.checkout.graphql import refunds
from marketplace.checkout.graphql.types import (
    AddressInput,
    Cart,
    Checkout,
    CheckoutLineInput,
    Order,
    PaymentMethod,
)
from marketplace.checkout.selectors import find_order, order_for_display
from marketplace.checkout.services.carts import (
    add_to_cart,
    get_cart,
    remove_from_cart,
    set_cart_quantity,
)
from marketplace.checkout.services.checkout import LineRequest, create_checkout, get_checkout
from marketplace.checkout.services.complete import complete_checkout
from marketplace.errors import DomainError
from marketplace.graphql.core import Error, query_error
from marketplace.graphql.mutations import DomainMutation
from marketplace.payments.errors import PaymentError
from marketplace.payments.services import payment_problem


def _address(data) -> AddressData:
    return AddressData(
        full_name=data.full_name,
        phone=data.phone,
        province_code=data.province_code,
        ward_code=data.ward_code,
        street_address=data.street_address,
        postal_code=data.postal_code or "",
        vpostcode=data.vpostcode or "",
        latitude=data.latitude,
        longitude=data.longitude,
    )


def _enum_value(value) -> str:
    return value.value if hasattr(value, "value") else value


class CheckoutCreateInput(graphene.InputObjectType):
    lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)
    email = graphene.String()
    phone = graphene.String()
    shipping_address = graphene.Field(AddressInput, required=True)
    note = graphene.String()


GUEST_CHECKOUT = "shoppers buy without an account; a checkout is reached only by its random id"
CART_TOKEN = "guest carts: a cart is reached only by its random token"


class CheckoutCreate(DomainMutation):
    class Meta:
        name = "CheckoutCreatePayload"  # the contract's type name

    public = GUEST_CHECKOUT
    error_codes = (CheckoutError, AddressError)

    class Arguments:
        input = CheckoutCreateInput(required=True)

    checkout = graphene.Field(Checkout)
    errors = graphene.List(graphene.NonNull(Error), required=True)

    @classmethod
    def perform(cls, info, input):
        checkout = create_checkout(
            [LineRequest(line.sku, line.quantity) for line in input.lines],
            _address(input.shipping_address),
            email=input.email,
            phone=input.phone,
            note=input.note,
        )
        return CheckoutCreate(checkout=checkout, errors=[])


class CheckoutComplete(DomainMutation):
    class Meta:
        name = "CheckoutCompletePayload"  # the contract's type name

    public = GUEST_CHECKOUT
    error_codes = (CheckoutError, PaymentError)

    class Arguments:
        checkout_id = graphene.ID(required=True)
        payment_method = PaymentMethod(required=True)

    order = graphene.Field(Order)
    checkout = graphene.Field(
        Checkout, description="Khi PRICE_CHANGED: phiên thanh toán theo giá mới, để xác nhận."
    )
    errors = graphene.List(graphene.NonNull(Error), required=True)

    @classmethod
    def failure(cls, exc, info, checkout_id, **arguments):
        checkout = get_checkout(checkout_id) if exc.code == CheckoutError.PRICE_CHANGED else None
        return CheckoutComplete(order=None, checkout=checkout, errors=cls.errors_for(exc))

    @classmethod
    def perform(cls, info, checkout_id, payment_method):
        order = complete_checkout(checkout_id, _enum_value(payment_method), user=info.context.user)
        # The order stands even when the card gateway could not be reached: say so, and how on.
        problem = payment_problem(order.payment)
        return CheckoutComplete(
            order=order_for_display(order.number),
            errors=cls.errors_for(problem) if problem else [],
        )


class CartPayload(graphene.ObjectType):
    cart = graphene.Field(Cart)
    errors = graphene.List(graphene.NonNull(Error), required=True)


class CartMutation(DomainMutation):
    """A refused change still answers with the cart, as it is."""

    class Meta:
        abstract = True

    public = CART_TOKEN
    error_codes = (CheckoutError,)

    @classmethod
    def change(cls, info, cart, **arguments):
        raise NotImplementedError

    @classmethod
    def perform(cls, info, token=None, **arguments):
        cart = get_cart(token, info.context.user, create=True)
        try:
            cls.change(info, cart, **arguments)
        except DomainError as exc:
            return CartPayload(cart=cart, errors=cls.errors_for(exc))
        return CartPayload(cart=cart, errors=[])


class CartLinesAdd(CartMutation):
    """Add lines to a cart; without a token a new cart is made (keep its token)."""

    class Arguments:
        token = graphene.String()
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    Output = CartPayload

    @classmethod
    def change(cls, info, cart, lines):
        for line in lines:
            add_to_cart(cart, line.sku, line.quantity)


class CartLineUpdate(CartMutation):
    """Set a line's quantity (0 removes it)."""

    class Arguments:
        token = graphene.String(required=True)
        sku = graphene.String(required=True)
        quantity = graphene.Int(required=True)

    Output = CartPayload

    @classmethod
    def change(cls, info, cart, sku, quantity):
        set_cart_quantity(cart, sku, quantity)


class CartLineRemove(CartMutation):
    class Arguments:
        token = graphene.String(required=True)
        sku = graphene.String(required=True)

    Output = CartPayload

    @classmethod
    def change(cls, info, cart, sku):
        remove_from_cart(cart, sku)


class WardChoice(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    province_code = graphene.String(required=True)
    province_name = graphene.String(required=True)

    @staticmethod
    def of(ward) -> "WardChoice":
        return WardChoice(
            code=ward.code,
            name=ward.name,
            province_code=ward.province_id,
            province_name=ward.province.name,
        )


class OldAddressConversion(graphene.ObjectType):
    old_address = graphene.String(required=True)
    ambiguous = graphene.Boolean(required=True, description="Nhiều xã mới: người mua chọn.")
    candidates = graphene.List(graphene.NonNull(WardChoice), required=True)


class VPostcodePlace(graphene.ObjectType):
    postal_code = graphene.String(required=True)
    latitude = graphene.Float(required=True)
    longitude = graphene.Float(required=True)
    ward = graphene.Field(WardChoice)


class Queries(refunds.Queries, graphene.ObjectType):
    cart = graphene.Field(Cart, token=graphene.String(required=True))
    checkout = graphene.Field(Checkout, id=graphene.ID(required=True))
    order = graphene.Field(
        Order,
        number=graphene.String(required=True),
        phone=graphene.String(required=True),
        description="Tra cứu đơn hàng bằng số đơn và số điện thoại đặt hàng.",
    )

    old_address_convert = graphene.Field(
        OldAddressConversion,
        province=graphene.String(required=True),
        district=graphene.String(required=True),
        ward=graphene.String(required=True),
        description="Địa chỉ trước 1/7/2025 (tỉnh, huyện, xã) → xã/phường mới, tính offline.",
    )
    vpostcode_places = graphene.List(
        graphene.NonNull(VPostcodePlace),
        vpostcode=graphene.String(required=True),
        description="Các vị trí một VPostcode có thể chỉ (thường là một), để điền địa chỉ.",
    )

    @public("converts an address from public administrative data")
    def resolve_old_address_convert(root, info, province, district, ward):
        try:
            conversion = convert_old_address(province, district, ward)
        except DomainError as exc:
            raise query_error(exc)
        return OldAddressConversion(
            old_address=conversion.old_label,
            ambiguous=conversion.ambiguous,
            candidates=[WardChoice.of(w) for w in conversion.candidates],
        )

    @public("decodes a VPostcode from public data")
    def resolve_vpostcode_places(root, info, vpostcode):
        try:
            places = address_from_vpostcode(vpostcode)
        except DomainError as exc:
            raise query_error(exc)
        return [
            VPostcodePlace(
                postal_code=decoded.postcode,
                latitude=decoded.location.latitude,
                longitude=decoded.location.longitude,
                ward=WardChoice.of(ward) if ward else None,
            )
            for decoded, ward in places
        ]

    @public(CART_TOKEN)
    def resolve_cart(root, info, token):
        return get_cart(token)

    @public(GUEST_CHECKOUT)
    def resolve_checkout(root, info, id):
        try:
            return get_checkout(id)
        except DomainError:
            return None

    @public("the order number and the phone it was placed with, rate-limited per attempt")
    @limited_resolver("order-lookup")  # each alias is an attempt; shared with the HTML page
    def resolve_order(root, info, number, phone):
        try:
            return find_order(number, phone)
        except DomainError as exc:
            raise query_error(exc)


class Mutations(refunds.Mutations, graphene.ObjectType):
    checkout_create = CheckoutCreate.Field()
    checkout_complete = CheckoutComplete.Field()
    cart_lines_add = CartLinesAdd.Field()
    cart_line_update = CartLineUpdate.Field()
    cart_line_remove = CartLineRemove.Field()
