"""Building listings for storefront tests through the same services producers use."""

import datetime

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product
from marketplace.catalog.stock import set_stock
from producers import services as producers
from producers.models import Producer


def make_product(
    sku: str,
    *,
    issued_on: datetime.date,
    expires_on: datetime.date,
    status: str = "published",
    producer_code: str = "AG0001",
    price: int = 125_000,
) -> Product:
    """A product of a sample producer, with its own certificate over the given dates."""
    producer = Producer.objects.get(code=producer_code)
    certificate, _ = producers.upsert_certificate(
        producers.CertificateData(
            number=f"T-{sku}/OCOP-TEST",
            producer=producer,
            product_name=f"Sản phẩm thử {sku}",
            product_set_code="1.8",
            stars=4,
            issued_on=issued_on,
            expires_on=expires_on,
        )
    )
    product, _ = catalog.upsert_product(
        catalog.ProductData(
            sku=sku,
            name=f"Sản phẩm thử {sku}",
            producer=producer,
            product_set_code="1.8",
            unit="hũ 500g",
            net_weight_g=500,
            price=price,
            certificate=certificate,
            status=status,
        )
    )
    set_stock(product, 5)
    return product
