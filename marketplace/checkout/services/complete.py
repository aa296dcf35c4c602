"""Completing a checkout into an order split per producer, exactly once.

Stock is never oversold: completion takes it through catalog.stock, which locks the rows in
primary-key order (two checkouts never wait on each other in a cycle), checks, then decrements.
"""

import secrets
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from marketplace.catalog import stock
from marketplace.catalog.models import ProductStatus
from marketplace.checkout import emails
from marketplace.checkout.errors import CheckoutError
from marketplace.checkout.models import Checkout, CheckoutLine, Order, OrderLine, SubOrder
from marketplace.checkout.services.checkout import checkout_expired, get_checkout, plan_parts
from marketplace.errors import DomainError, ValidationFailed
from marketplace.language.services import current_language
from marketplace.money import format_vnd
from marketplace.payments import offering
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod

# No 0/O, 1/I/L: order numbers are read aloud on the phone and typed from paper.
_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_NUMBER_PREFIX = "DH"  # đơn hàng


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
                    **checkout.shipping_address(),
                    language=current_language(),  # emails and SMS about it use this language
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
            CheckoutError.INVALID,
            gettext("Phương thức thanh toán không hợp lệ: %(method)s.") % {"method": method},
            "payment_method",
        )
    offering.require_offered(method)
    order, repriced = _complete(checkout_id, method, user)
    if repriced is not None:
        raise DomainError(
            CheckoutError.PRICE_CHANGED,
            gettext(
                "Giá đã thay đổi từ khi tạo đơn: tổng mới là %(total)s. Đặt hàng lại để "
                "đồng ý với giá mới."
            )
            % {"total": format_vnd(repriced.total)},
            "checkout_id",
        )
    payments.start_payment(order.payment)
    return order


def _unavailable(lines: list[CheckoutLine]) -> list[DomainError]:
    problems = []
    for index, line in enumerate(lines):
        product = line.product
        if not product.producer.is_active:
            why = gettext("%(producer)s đang tạm ngưng bán") % {"producer": product.producer.name}
        elif product.status != ProductStatus.PUBLISHED:
            why = gettext("sản phẩm đã ngừng bán")
        else:
            continue
        problems.append(
            DomainError(
                CheckoutError.NOT_AVAILABLE,
                gettext("“%(name)s” (%(sku)s) hiện không bán: %(why)s.")
                % {"name": product.name, "sku": product.sku, "why": why},
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
            CheckoutError.CHECKOUT_EXPIRED,
            gettext("Phiên thanh toán đã quá 24 giờ; hãy đặt hàng lại từ giỏ hàng."),
            "checkout_id",
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
                    CheckoutError.OUT_OF_STOCK,
                    gettext("“%(name)s” (%(sku)s) chỉ còn %(available)s, không đủ %(quantity)s.")
                    % {
                        "name": line.product.name,
                        "sku": line.product.sku,
                        "available": short[line.product_id].available,
                        "quantity": line.quantity,
                    },
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
