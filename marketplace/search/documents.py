"""What a product looks like to search: folded text per weighted field, plus facet keys."""

import re

from marketplace.catalog.models import Product, ProductStatus
from marketplace.search.analysis import padded, tokens
from marketplace.text import fold, nfc

_WORD = re.compile(r"\w+")

# Relative weight of a match in each field: name > producer, place, product set > description.
FIELD_WEIGHTS = {"name": 8, "producer": 4, "place": 4, "product_set": 3, "description": 1}


def indexable_products():
    """Products with everything a document needs, in a constant number of queries."""
    return Product.objects.select_related(
        "producer__ward", "certificate", "product_set__group", "stock"
    )


def is_searchable(product: Product) -> bool:
    return product.status == ProductStatus.PUBLISHED and product.producer.is_active


def field_words(product: Product) -> dict[str, list[str]]:
    """Folded words per field. The place is the ward without 'Xã'/'Phường'/'Đặc khu'."""
    return {
        "name": tokens(f"{product.name} {product.name_en}"),
        "producer": tokens(product.producer.name),
        "place": tokens(product.producer.ward.short_name),
        "product_set": tokens(f"{product.product_set.name} {product.product_set.group.name}"),
        "description": tokens(product.description),
    }


def key(kind: str, value: object) -> str:
    """One filter value as a token no shopper types: `zz` + kind letter + the value's letters
    and digits ("zzw31078" is ward 31078; see migration 0007 for `zz`)."""
    return f"zz{kind}{re.sub(r'[^a-z0-9]', '', str(value).lower())}"


# ProductFilter field → the kind letter of its tokens. Price and stock stay joins: a range
# is no token, and stock moves too often to rewrite documents for it.
FILTER_KEYS = {
    "ocop_sets": "s",
    "groups": "g",
    "stars": "r",
    "ward_codes": "w",
    "producer_codes": "p",
}


def filter_keys(product: Product) -> list[str]:
    stars = product.certificate.stars if product.certificate_id else None
    values = {
        "ocop_sets": product.product_set_id,
        "groups": product.product_set.group_id,
        "stars": stars,
        "ward_codes": product.producer.ward_id,
        "producer_codes": product.producer.code,
    }
    return [key(FILTER_KEYS[name], v) for name, v in values.items() if v is not None]


def database_row(product: Product) -> dict[str, object]:
    words = field_words(product)
    row = {name: padded(ws) for name, ws in words.items()}
    row["keys"] = padded(filter_keys(product))
    row["price"] = product.price
    row["name_length"] = min(len(product.name), 999)
    row["searchable"] = is_searchable(product)
    return row


def accented_words(product: Product) -> dict[str, str]:
    """folded word → one accented spelling from the product's own text ("mam" → "mắm")."""
    spelled: dict[str, str] = {}
    texts = (product.name, product.name_en, product.producer.name, product.producer.ward.short_name)
    for text in (*texts, product.product_set.name, product.description):
        for original in _WORD.findall(nfc(text)):
            folded = fold(original)
            if folded.isascii() and folded.isalnum() and len(folded) <= 60:
                spelled.setdefault(folded, original.lower())
    return spelled


def engine_document(product: Product) -> dict[str, object]:
    """The engine's document: folded text fields, the original name, and filter/facet keys."""
    words = field_words(product)
    document = {name: " ".join(ws) for name, ws in words.items()}
    document.update(
        pk=product.pk,
        sku=product.sku,
        name_original=product.name,
        name_length=min(len(product.name), 999),
        product_set_code=product.product_set_id,
        group=product.product_set.group_id,
        stars=product.certificate.stars if product.certificate_id else None,
        ward_code=product.producer.ward_id,
        producer_code=product.producer.code,
        price=product.price,
        in_stock=product.stock_quantity > 0,
    )
    return document
