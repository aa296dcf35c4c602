"""Shared helpers for buying tests: a Hà Nội shopper and products from distinct producers."""

from marketplace.addresses.services import AddressInput
from marketplace.catalog.models import Product, ProductStatus
from marketplace.checkout.services.checkout import LineRequest, create_checkout

HANOI_WARD = "00004"  # Phường Ba Đình, Hà Nội


def hanoi_address(**overrides) -> AddressInput:
    values = {
        "full_name": "Nguyễn Thị Lan",
        "phone": "0912 345 678",
        "province_code": "01",
        "ward_code": HANOI_WARD,
        "street_address": "12 Phố Điện Biên Phủ",
    }
    values.update(overrides)
    return AddressInput(**values)


def sellable(**filters):
    return (
        Product.objects.filter(status=ProductStatus.PUBLISHED, stock__quantity__gte=10, **filters)
        .select_related("producer", "product_set")
        .order_by("sku")
    )


def three_producers() -> list[Product]:
    """Mắm, pepper and one more product, each from a different producer."""
    picked, producers = [], set()
    for product in sellable(product_set__group_id=1):
        if product.producer_id not in producers:
            picked.append(product)
            producers.add(product.producer_id)
        if len(picked) == 3:
            return picked
    raise AssertionError("the sample catalog has too few producers")


def checkout_for(products, quantity=1, **kwargs):
    lines = [LineRequest(p.sku, quantity) for p in products]
    return create_checkout(lines, hanoi_address(), email="lan@example.vn", **kwargs)
