"""Buying: carts, checkouts, completing a checkout into an order split per producer.

Stock is never oversold: completion takes it through catalog.stock, which locks the rows in
primary-key order (two checkouts never wait on each other in a cycle), checks, then decrements.
"""

import datetime
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.addresses.phones import normalize_phone
from marketplace.addresses.services import AddressInput, clean_address
from marketplace.catalog import stock
from marketplace.catalog.models import Product, ProductStatus
from marketplace.checkout import emails, lots, shipping
from marketplace.checkout.models import (
    Cart,
    CartLine,
    Checkout,
    CheckoutLine,
    Order,
    OrderLine,
    OrderStatus,
    SubOrder,
)
from marketplace.checkout.payment_state import require_shippable
from marketplace.errors import DomainError, ValidationFailed
from marketplace.money import format_vnd
from marketplace.payments import services as payments
from marketplace.payments.models import Payment, PaymentMethod
from marketplace.text import nfc, nfc_lines

MAX_QUANTITY = 999
# A checkout keeps its prices and address this long; after that the shopper starts again.
CHECKOUT_LIFETIME = datetime.timedelta(hours=24)
# No 0/O, 1/I/L: order numbers are read aloud on the phone and typed from paper.
_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_NUMBER_PREFIX = "DH"  # đơn hàng


# --- carts ------------------------------------------------------------------------------------


def get_cart(token: str | None, user=None, create: bool = False) -> Cart | None:
    """The cart for a token (anonymous) or the signed-in user's latest cart."""
    cart = None
    if token:
        try:
            cart = Cart.objects.filter(token=token).first()
        except ValidationError:  # not a UUID
            cart = None
    if cart is None and user is not None and user.is_authenticated:
        cart = Cart.objects.filter(user=user).order_by("-updated_at").first()
    if cart is None and create:
        cart = Cart.objects.create(
            user=user if user is not None and user.is_authenticated else None
        )
    return cart


def _sellable_product(sku: str, field_name: str) -> Product:
    product = Product.objects.select_related("stock", "producer").filter(sku=nfc(sku)).first()
    if product is None:
        raise DomainError("NOT_FOUND", f"Không có sản phẩm mã “{sku}”.", field_name)
    if product.status != ProductStatus.PUBLISHED or not product.producer.is_active:
        raise DomainError("NOT_AVAILABLE", f"“{product.name}” hiện không bán.", field_name)
    return product


def _check_quantity(quantity: int, field_name: str, allow_zero: bool = False) -> None:
    if quantity < (0 if allow_zero else 1) or quantity > MAX_QUANTITY:
        raise DomainError("INVALID_QUANTITY", f"Số lượng phải từ 1 đến {MAX_QUANTITY}.", field_name)


def _check_stock(product: Product, quantity: int, field_name: str) -> None:
    if quantity > product.stock_quantity:
        raise DomainError(
            "OUT_OF_STOCK",
            f"“{product.name}” chỉ còn {product.stock_quantity} {product.unit}.",
            field_name,
        )


@transaction.atomic
def add_to_cart(cart: Cart, sku: str, quantity: int) -> CartLine:
    _check_quantity(quantity, "quantity")
    product = _sellable_product(sku, "sku")
    line = CartLine.objects.select_for_update().filter(cart=cart, product=product).first()
    total = quantity + (line.quantity if line else 0)
    _check_quantity(total, "quantity")
    _check_stock(product, total, "quantity")
    if line is None:
        line = CartLine.objects.create(cart=cart, product=product, quantity=total)
    else:
        line.quantity = total
        line.save(update_fields=["quantity"])
    cart.save(update_fields=["updated_at"])
    return line


@transaction.atomic
def set_cart_quantity(cart: Cart, sku: str, quantity: int) -> None:
    """Set a line's quantity; 0 removes it."""
    _check_quantity(quantity, "quantity", allow_zero=True)
    if quantity == 0:
        remove_from_cart(cart, sku)
        return
    product = _sellable_product(sku, "sku")
    _check_stock(product, quantity, "quantity")
    CartLine.objects.update_or_create(cart=cart, product=product, defaults={"quantity": quantity})
    cart.save(update_fields=["updated_at"])


def remove_from_cart(cart: Cart, sku: str) -> None:
    deleted, _ = CartLine.objects.filter(cart=cart, product__sku=nfc(sku)).delete()
    if not deleted:
        raise DomainError("NOT_FOUND", f"Giỏ hàng không có sản phẩm “{sku}”.", "sku")


def cart_lines(cart: Cart) -> list[CartLine]:
    return list(
        cart.lines.select_related(
            "product__producer__ward", "product__stock", "product__product_set"
        )
    )


# --- checkout ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineRequest:
    sku: str
    quantity: int


@dataclass
class ProducerPart:
    """What one producer ships in an order, and what it costs."""

    producer: object
    lines: list = field(default_factory=list)  # (product, quantity, unit_price)
    weight_g: int = 0
    needs_shipping: bool = False
    zone: str = ""
    fee: int = 0

    @property
    def subtotal(self) -> int:
        return sum(price * qty for _, qty, price in self.lines)


def plan_parts(lines, destination_ward) -> list[ProducerPart]:
    """Group lines by producer and price each group's shipping by weight and zone."""
    parts: dict[int, ProducerPart] = {}
    for product, quantity, unit_price in lines:
        part = parts.setdefault(product.producer_id, ProducerPart(producer=product.producer))
        part.lines.append((product, quantity, unit_price))
        if product.needs_shipping:
            part.needs_shipping = True
            part.weight_g += product.net_weight_g * quantity
    for part in parts.values():
        part.zone = shipping.zone_between(part.producer.ward, destination_ward, part.needs_shipping)
        part.fee = shipping.shipping_fee(part.zone, part.weight_g)
    return sorted(parts.values(), key=lambda p: p.producer.name)


def _merge_lines(lines: list[LineRequest]) -> list[tuple[int, LineRequest]]:
    """One request per SKU (quantities added), keeping the first index for error fields."""
    merged: dict[str, tuple[int, LineRequest]] = {}
    for index, line in enumerate(lines):
        sku = nfc(line.sku)
        if sku in merged:
            first, seen = merged[sku]
            merged[sku] = (first, LineRequest(sku, seen.quantity + line.quantity))
        else:
            merged[sku] = (index, LineRequest(sku, line.quantity))
    return list(merged.values())


def _contact(email: str | None, phone: str | None) -> tuple[str, str, list[DomainError]]:
    errors = []
    email = nfc(email or "").lower()
    phone_e164 = ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(DomainError("INVALID_EMAIL", f"Email không hợp lệ: “{email}”.", "email"))
    if (phone or "").strip():
        try:
            phone_e164 = normalize_phone(phone, "phone")
        except DomainError as exc:
            errors.append(exc)
    if not email and not (phone or "").strip():
        errors.append(DomainError("REQUIRED", "Cần email hoặc số điện thoại để liên lạc.", "email"))
    return email, phone_e164, errors


@transaction.atomic
def create_checkout(
    lines: list[LineRequest],
    address: AddressInput,
    email: str | None = None,
    phone: str | None = None,
    note: str | None = None,
    expected_subtotal: int | None = None,
) -> Checkout:
    """Validate everything the shopper sent and price it; every problem is reported at once.

    `expected_subtotal` is what the shopper was shown (the checkout page): if prices moved since,
    PRICE_CHANGED with the new subtotal, and nothing is created.
    """
    errors: list[DomainError] = []
    if not lines:
        errors.append(DomainError("REQUIRED", "Giỏ hàng trống.", "lines"))
    priced = []
    for index, line in _merge_lines(lines):
        try:
            _check_quantity(line.quantity, f"lines[{index}].quantity")
            product = _sellable_product(line.sku, f"lines[{index}].sku")
            _check_stock(product, line.quantity, f"lines[{index}].quantity")
            priced.append((product, line.quantity, product.price))
        except DomainError as exc:
            errors.append(exc)
    email, phone_e164, contact_errors = _contact(email, phone)
    errors += contact_errors
    try:
        clean = clean_address(address)
    except ValidationFailed as exc:
        errors += [DomainError(e.code, e.message, f"shippingAddress.{e.field}") for e in exc.errors]
    if errors:
        raise ValidationFailed(errors)

    parts = plan_parts(priced, clean.ward)
    subtotal = sum(p.subtotal for p in parts)
    shipping_total = sum(p.fee for p in parts)
    if expected_subtotal is not None and expected_subtotal != subtotal:
        raise DomainError(
            "PRICE_CHANGED",
            f"Giá đã thay đổi: tạm tính mới là {format_vnd(subtotal)} "
            f"(trước đó {format_vnd(expected_subtotal)}). Bấm Đặt hàng lần nữa để đồng ý.",
            "lines",
        )
    checkout = Checkout.objects.create(
        email=email,
        phone=phone_e164,
        note=nfc_lines(note or ""),
        full_name=clean.full_name,
        address_phone=clean.phone,
        province=clean.province,
        ward=clean.ward,
        street_address=clean.street_address,
        postal_code=clean.postal_code,
        vpostcode=clean.vpostcode,
        subtotal=subtotal,
        shipping_total=shipping_total,
        total=subtotal + shipping_total,
    )
    CheckoutLine.objects.bulk_create(
        CheckoutLine(checkout=checkout, product=product, quantity=qty, unit_price=price)
        for product, qty, price in priced
    )
    return checkout


def get_checkout(checkout_id) -> Checkout:
    try:
        return Checkout.objects.get(pk=checkout_id)
    except (Checkout.DoesNotExist, ValidationError, ValueError):
        raise DomainError("NOT_FOUND", "Không tìm thấy phiên thanh toán.", "checkoutId")


def _new_order_number() -> str:
    return _NUMBER_PREFIX + "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(6))


def _create_order_row(checkout: Checkout, user) -> Order:
    """Insert the order under a fresh random number, retrying on the rare collision."""
    for _ in range(5):
        try:
            with transaction.atomic():
                return Order.objects.create(
                    number=_new_order_number(),
                    checkout=checkout,
                    user=user if user is not None and user.is_authenticated else None,
                    email=checkout.email,
                    phone=checkout.phone or checkout.address_phone,
                    note=checkout.note,
                    full_name=checkout.full_name,
                    address_phone=checkout.address_phone,
                    province_id=checkout.province_id,
                    ward_id=checkout.ward_id,
                    street_address=checkout.street_address,
                    postal_code=checkout.postal_code,
                    vpostcode=checkout.vpostcode,
                    subtotal=0,
                    shipping_total=0,
                    total=0,
                )
        except IntegrityError:
            if Order.objects.filter(checkout=checkout).exists():
                raise
    raise RuntimeError("could not draw a free order number")


def complete_checkout(checkout_id, method: str, user=None) -> Order:
    """Turn a checkout into an order, exactly once; completing again returns the same order.

    Everything is checked again under the checkout's lock, since the shopper may come back
    hours later: expired (CHECKOUT_EXPIRED), a listing hidden or its producer suspended
    (NOT_AVAILABLE, per line), a price changed (PRICE_CHANGED: the checkout is repriced and
    committed, so completing again is the shopper's confirmation of the new total), not enough
    stock (OUT_OF_STOCK). Stock is taken and the order committed in one short transaction; the
    payment provider (Stripe) is called after the commit, outside any transaction, so no row
    lock waits on a network call. Completing again with another method changes how an order
    whose payment never started is paid.
    """
    if method not in PaymentMethod.values:
        raise DomainError(
            "INVALID", f"Phương thức thanh toán không hợp lệ: {method}.", "paymentMethod"
        )
    order, repriced = _complete(checkout_id, method, user)
    if repriced is not None:
        raise DomainError(
            "PRICE_CHANGED",
            f"Giá đã thay đổi từ khi tạo đơn: tổng mới là {format_vnd(repriced.total)}. "
            "Đặt hàng lại để đồng ý với giá mới.",
            "checkoutId",
        )
    payments.start_payment(order.payment)
    return order


def checkout_expired(checkout: Checkout, now=None) -> bool:
    return (now or timezone.now()) >= checkout.created_at + CHECKOUT_LIFETIME


def _unavailable(lines: list[CheckoutLine]) -> list[DomainError]:
    problems = []
    for index, line in enumerate(lines):
        product = line.product
        if not product.producer.is_active:
            why = f"{product.producer.name} đang tạm ngưng bán"
        elif product.status != ProductStatus.PUBLISHED:
            why = "sản phẩm đã ngừng bán"
        else:
            continue
        problems.append(
            DomainError(
                "NOT_AVAILABLE",
                f"“{product.name}” ({product.sku}) hiện không bán: {why}.",
                f"lines[{index}]",
            )
        )
    return problems


def _reprice(checkout: Checkout, lines: list[CheckoutLine]) -> bool:
    """Bring the checkout to today's prices; True when anything changed."""
    stale = [line for line in lines if line.unit_price != line.product.price]
    for line in stale:
        line.unit_price = line.product.price
        line.save(update_fields=["unit_price"])
    parts = plan_parts([(ln.product, ln.quantity, ln.unit_price) for ln in lines], checkout.ward)
    subtotal, fees = sum(p.subtotal for p in parts), sum(p.fee for p in parts)
    if not stale and (subtotal, fees) == (checkout.subtotal, checkout.shipping_total):
        return False
    checkout.subtotal, checkout.shipping_total, checkout.total = subtotal, fees, subtotal + fees
    checkout.save(update_fields=["subtotal", "shipping_total", "total"])
    return True


@transaction.atomic
def _complete(checkout_id, method: str, user) -> tuple[Order | None, Checkout | None]:
    """(order, None), or (None, the repriced checkout) to commit before telling the shopper."""
    checkout = get_checkout(checkout_id)
    # Lock the checkout: two completions of one checkout queue here, the second finds the order.
    checkout = Checkout.objects.select_for_update().get(pk=checkout.pk)
    existing = Order.objects.filter(checkout=checkout).select_related("payment").first()
    if existing is not None:
        if existing.payment.method != method:
            existing.payment = payments.change_method(existing.payment, method)
        return existing, None
    if checkout_expired(checkout):
        raise DomainError(
            "CHECKOUT_EXPIRED",
            "Phiên thanh toán đã quá 24 giờ; hãy đặt hàng lại từ giỏ hàng.",
            "checkoutId",
        )
    lines = list(
        checkout.lines.select_related("product__producer__ward", "product__product_set__group")
    )
    unavailable = _unavailable(lines)
    if unavailable:
        raise ValidationFailed(unavailable)
    if _reprice(checkout, lines):
        return None, checkout
    wanted: dict[int, int] = defaultdict(int)
    for line in lines:
        wanted[line.product_id] += line.quantity
    short = {s.product_id: s for s in stock.take_stock(wanted)}
    if short:
        raise ValidationFailed(
            [
                DomainError(
                    "OUT_OF_STOCK",
                    f"“{line.product.name}” ({line.product.sku}) chỉ còn "
                    f"{short[line.product_id].available}, không đủ {line.quantity}.",
                    f"lines[{index}]",
                )
                for index, line in enumerate(lines)
                if line.product_id in short
            ]
        )

    order = _create_order_row(checkout, user)
    parts = plan_parts(
        [(line.product, line.quantity, line.unit_price) for line in lines], checkout.ward
    )
    order_lines = []
    for part in parts:
        sub = SubOrder.objects.create(
            order=order,
            producer=part.producer,
            zone=part.zone,
            weight_g=part.weight_g,
            subtotal=part.subtotal,
            shipping_fee=part.fee,
            total=part.subtotal + part.fee,
        )
        order_lines += [
            OrderLine(
                sub_order=sub,
                product=product,
                sku=product.sku,
                name=product.name,
                unit_price=price,
                quantity=qty,
                line_total=price * qty,
            )
            for product, qty, price in part.lines
        ]
    OrderLine.objects.bulk_create(order_lines)
    order.subtotal = sum(p.subtotal for p in parts)
    order.shipping_total = sum(p.fee for p in parts)
    order.total = order.subtotal + order.shipping_total
    order.save(update_fields=["subtotal", "shipping_total", "total"])
    payments.create_payment(order, method)
    transaction.on_commit(lambda: emails.send_order_emails(order.pk), robust=True)
    return order, None


# --- after the order: fulfilment -------------------------------------------------------------

_NEXT = {
    OrderStatus.NEW: {OrderStatus.CONFIRMED, OrderStatus.CANCELLED},
    OrderStatus.CONFIRMED: {OrderStatus.SHIPPED, OrderStatus.CANCELLED},
    OrderStatus.SHIPPED: {OrderStatus.DELIVERED},
    OrderStatus.DELIVERED: set(),
    OrderStatus.CANCELLED: set(),
}


def order_status_from(statuses: list[str]) -> str:
    """The order's status summarises its sub-orders' (the cancelled ones aside)."""
    live = [s for s in statuses if s != OrderStatus.CANCELLED]
    if not live:
        return OrderStatus.CANCELLED
    if all(s == OrderStatus.DELIVERED for s in live):
        return OrderStatus.DELIVERED
    if any(s in (OrderStatus.SHIPPED, OrderStatus.DELIVERED) for s in live):
        return OrderStatus.SHIPPED
    if all(s == OrderStatus.CONFIRMED for s in live):
        return OrderStatus.CONFIRMED
    return OrderStatus.NEW


# A tracking number as carriers print it: letters, digits, dashes (spaces are dropped).
_TRACKING = re.compile(r"^[A-Z0-9-]{4,40}$")
MAX_CARRIER_CHARS = 60
MAX_CANCEL_REASON_CHARS = 500


@dataclass
class Fulfilment:
    """What a status move may carry: the parcel's carrier and tracking number, or a reason."""

    carrier: str = ""
    tracking_number: str = ""
    cancel_reason: str = ""
    # order line id → ids of the lots its units came from; lines left out take the default
    lots: dict[int, list[int]] | None = None


def _shipping_details(details: Fulfilment) -> tuple[str, str]:
    errors = []
    carrier = " ".join(nfc(details.carrier).split())
    tracking = "".join(nfc(details.tracking_number).split()).upper()
    if not carrier:
        errors.append(
            DomainError("REQUIRED", "Cần tên đơn vị vận chuyển, ví dụ Viettel Post.", "carrier")
        )
    elif len(carrier) > MAX_CARRIER_CHARS:
        errors.append(
            DomainError(
                "TOO_LONG", f"Tên hãng vận chuyển dài tối đa {MAX_CARRIER_CHARS} ký tự.", "carrier"
            )
        )
    if not tracking:
        errors.append(
            DomainError("REQUIRED", "Cần mã vận đơn để khách theo dõi.", "tracking_number")
        )
    elif not _TRACKING.match(tracking):
        errors.append(
            DomainError(
                "INVALID_TRACKING_NUMBER",
                "Mã vận đơn chỉ gồm chữ, số và dấu gạch ngang (4–40 ký tự).",
                "tracking_number",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return carrier, tracking


def _cancel_reason(details: Fulfilment) -> str:
    reason = nfc(details.cancel_reason).strip()
    if not reason:
        raise DomainError("REQUIRED", "Cần ghi lý do huỷ để báo cho khách.", "cancel_reason")
    if len(reason) > MAX_CANCEL_REASON_CHARS:
        raise DomainError(
            "TOO_LONG", f"Lý do huỷ dài tối đa {MAX_CANCEL_REASON_CHARS} ký tự.", "cancel_reason"
        )
    return reason


@transaction.atomic
def set_sub_order_status(
    sub_order_id: int, status: str, details: Fulfilment | None = None
) -> SubOrder:
    """Move a producer's sub-order along new → confirmed → shipped → delivered (or cancelled).

    Confirming and shipping need the sub-order paid or cash on delivery (an unpaid VietQR order
    is never shipped by mistake). Shipping needs the carrier and tracking number (the shopper
    follows the parcel with them) and records the lots the units came from; cancelling needs
    a reason (the shopper is told why) and puts the stock back; delivering a cash-on-delivery
    sub-order records the cash.
    """
    details = details or Fulfilment()
    sub = SubOrder.objects.select_for_update(of=("self",)).get(pk=sub_order_id)
    if status not in _NEXT.get(sub.status, set()):
        raise DomainError(
            "INVALID_TRANSITION",
            f"Không thể chuyển đơn từ “{sub.get_status_display()}” sang “{status}”.",
            "status",
        )
    if status in (OrderStatus.CONFIRMED, OrderStatus.SHIPPED):
        require_shippable(Payment.objects.filter(order_id=sub.order_id).first())
    changed = ["status", "updated_at"]
    if status == OrderStatus.SHIPPED:
        sub.carrier, sub.tracking_number = _shipping_details(details)
        lots.record_lots(sub, details.lots)
        sub.shipped_at = timezone.now()
        changed += ["carrier", "tracking_number", "shipped_at"]
    elif status == OrderStatus.CANCELLED:
        sub.cancel_reason = _cancel_reason(details)
        changed.append("cancel_reason")
    elif status == OrderStatus.DELIVERED:
        sub.delivered_at = timezone.now()
        changed.append("delivered_at")
    sub.status = status
    sub.save(update_fields=changed)
    if status == OrderStatus.CANCELLED:
        restock = defaultdict(int)
        for line in sub.lines.all():
            if line.product_id:
                restock[line.product_id] += line.quantity
        stock.return_stock(restock)
    # Two producers moving their sub-orders of one order at once: the order row's lock makes the
    # second read the first one's committed status, so the summary never misses a move.
    order = Order.objects.select_for_update().get(pk=sub.order_id)
    order.status = order_status_from(list(order.sub_orders.values_list("status", flat=True)))
    order.save(update_fields=["status"])
    sub.order = order
    if status == OrderStatus.DELIVERED:
        payments.collect_cash_on_delivery(sub)
    return sub


def find_order(number: str, phone: str) -> Order:
    """Order lookup for shoppers without an account: the number and the phone must both match."""
    not_found = DomainError(
        "NOT_FOUND", "Không tìm thấy đơn hàng với số và điện thoại này.", "number"
    )
    try:
        e164 = normalize_phone(phone)
    except DomainError:
        raise not_found
    order = Order.objects.filter(number=nfc(number).upper().replace(" ", "")).first()
    if order is None or e164 not in (order.phone, order.address_phone):
        raise not_found
    return order


def order_for_display(number: str) -> Order:
    return (
        Order.objects.select_related("payment", "ward", "province")
        .prefetch_related("sub_orders__producer__ward", "sub_orders__lines")
        .get(number=number)
    )
