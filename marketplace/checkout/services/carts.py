"""Carts: what a shopper collects before checking out, and the line checks checkout repeats."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from marketplace.catalog.models import Product, ProductStatus
from marketplace.checkout.errors import CheckoutError
from marketplace.checkout.models import Cart, CartLine
from marketplace.errors import DomainError
from marketplace.text import nfc

MAX_QUANTITY = 999


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


def sellable_product(sku: str, field_name: str) -> Product:
    product = Product.objects.select_related("stock", "producer").filter(sku=nfc(sku)).first()
    if product is None:
        raise DomainError(
            CheckoutError.NOT_FOUND,
            gettext("Không có sản phẩm mã “%(sku)s”.") % {"sku": sku},
            field_name,
        )
    if product.status != ProductStatus.PUBLISHED or not product.producer.is_active:
        raise DomainError(
            CheckoutError.NOT_AVAILABLE,
            gettext("“%(name)s” hiện không bán.") % {"name": product.name},
            field_name,
        )
    return product


def check_quantity(quantity: int, field_name: str, allow_zero: bool = False) -> None:
    if quantity < (0 if allow_zero else 1) or quantity > MAX_QUANTITY:
        raise DomainError(
            CheckoutError.INVALID_QUANTITY,
            gettext("Số lượng phải từ 1 đến %(max_quantity)s.") % {"max_quantity": MAX_QUANTITY},
            field_name,
        )


def check_stock(product: Product, quantity: int, field_name: str) -> None:
    if quantity > product.stock_quantity:
        raise DomainError(
            CheckoutError.OUT_OF_STOCK,
            gettext("“%(name)s” chỉ còn %(stock_quantity)s %(unit)s.")
            % {
                "name": product.name,
                "stock_quantity": product.stock_quantity,
                "unit": product.unit,
            },
            field_name,
        )


@transaction.atomic
def add_to_cart(cart: Cart, sku: str, quantity: int) -> CartLine:
    check_quantity(quantity, "quantity")
    product = sellable_product(sku, "sku")
    line = CartLine.objects.select_for_update().filter(cart=cart, product=product).first()
    total = quantity + (line.quantity if line else 0)
    check_quantity(total, "quantity")
    check_stock(product, total, "quantity")
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
    check_quantity(quantity, "quantity", allow_zero=True)
    if quantity == 0:
        remove_from_cart(cart, sku)
        return
    product = sellable_product(sku, "sku")
    check_stock(product, quantity, "quantity")
    CartLine.objects.update_or_create(cart=cart, product=product, defaults={"quantity": quantity})
    cart.save(update_fields=["updated_at"])


def remove_from_cart(cart: Cart, sku: str) -> None:
    deleted, _ = CartLine.objects.filter(cart=cart, product__sku=nfc(sku)).delete()
    if not deleted:
        raise DomainError(
            CheckoutError.NOT_FOUND,
            gettext("Giỏ hàng không có sản phẩm “%(sku)s”.") % {"sku": sku},
            "sku",
        )
