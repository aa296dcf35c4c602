"""Checkout: the shopper's lines, contact and address validated and priced per producer."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.addresses.phones import normalize_phone
from marketplace.addresses.services import AddressInput, clean_address
from marketplace.checkout import shipping
from marketplace.checkout.errors import CheckoutError
from marketplace.checkout.models import Checkout, CheckoutLine
from marketplace.checkout.services.carts import check_quantity, check_stock, sellable_product
from marketplace.errors import DomainError, ValidationFailed
from marketplace.money import format_vnd
from marketplace.text import nfc, nfc_lines

# A checkout keeps its prices and address this long; after that the shopper starts again.
CHECKOUT_LIFETIME = datetime.timedelta(hours=24)


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
            errors.append(
                DomainError(
                    CheckoutError.INVALID_EMAIL,
                    gettext("Email không hợp lệ: “%(email)s”.") % {"email": email},
                    "email",
                )
            )
    if (phone or "").strip():
        try:
            phone_e164 = normalize_phone(phone, "phone")
        except DomainError as exc:
            errors.append(exc)
    if not email and not (phone or "").strip():
        errors.append(
            DomainError(
                CheckoutError.REQUIRED,
                gettext("Cần email hoặc số điện thoại để liên lạc."),
                "email",
            )
        )
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
        errors.append(DomainError(CheckoutError.REQUIRED, gettext("Giỏ hàng trống."), "lines"))
    priced = []
    for index, line in _merge_lines(lines):
        try:
            check_quantity(line.quantity, f"lines[{index}].quantity")
            product = sellable_product(line.sku, f"lines[{index}].sku")
            check_stock(product, line.quantity, f"lines[{index}].quantity")
            priced.append((product, line.quantity, product.price))
        except DomainError as exc:
            errors.append(exc)
    email, phone_e164, contact_errors = _contact(email, phone)
    errors += contact_errors
    try:
        clean = clean_address(address)
    except ValidationFailed as exc:
        errors += [
            DomainError(e.code, e.message, f"shipping_address.{e.field}") for e in exc.errors
        ]
    if errors:
        raise ValidationFailed(errors)

    parts = plan_parts(priced, clean.ward)
    subtotal = sum(p.subtotal for p in parts)
    shipping_total = sum(p.fee for p in parts)
    if expected_subtotal is not None and expected_subtotal != subtotal:
        raise DomainError(
            CheckoutError.PRICE_CHANGED,
            gettext(
                "Giá đã thay đổi: tạm tính mới là %(subtotal)s (trước đó %(previous)s). "
                "Bấm Đặt hàng lần nữa để đồng ý."
            )
            % {"subtotal": format_vnd(subtotal), "previous": format_vnd(expected_subtotal)},
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
        raise DomainError(
            CheckoutError.NOT_FOUND, gettext("Không tìm thấy phiên thanh toán."), "checkout_id"
        )


def checkout_expired(checkout: Checkout, now=None) -> bool:
    return (now or timezone.now()) >= checkout.created_at + CHECKOUT_LIFETIME
