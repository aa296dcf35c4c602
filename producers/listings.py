"""Portal listing operations: what a member does to their products from a phone.

Every function takes the acting user, checks that the product belongs to one of the user's
producers (another producer's product is simply "not found") and writes through the catalog
services inside one transaction.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from PIL import Image

from marketplace.access import role_in
from marketplace.catalog import gtin_allocation, images
from marketplace.catalog.models import Product, ProductImage, ProductStatus
from marketplace.catalog.services import (
    ProductData,
    hide_product,
    publish_product,
    upsert_product,
    validate_price,
)
from marketplace.catalog.stock import set_stock, validate_quantity
from marketplace.errors import DomainError, ValidationFailed
from marketplace.text import nfc
from producers.errors import ProducerError
from producers.models import OcopCertificate, Producer

MAX_NAME_CHARS = 200
MAX_PHOTOS = 10
_PRICE_UNITS = {"k": 1_000, "nghin": 1_000, "nghìn": 1_000, "tr": 1_000_000, "triệu": 1_000_000}
_PRICE = re.compile(r"^(?P<number>\d[\d.,]*)(?P<unit>k|nghìn|nghin|tr|triệu)?$")
_CURRENCY_SUFFIX = re.compile(r"(₫|đồng|đ|vnd|vnđ)$")
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def _price_error(text: str) -> DomainError:
    return DomainError(
        ProducerError.INVALID_PRICE,
        gettext("Không hiểu giá '%(text)s'. Nhập số đồng, ví dụ 125000, 125.000 hoặc 125k.")
        % {"text": text[:30]},
        "price",
    )


def parse_price(text: str | int) -> int:
    """'125000', '125.000', '125,000 ₫', '125k', '1,5tr' → đồng; anything else is refused."""
    if isinstance(text, int) and not isinstance(text, bool):
        return validate_price(text)
    raw = nfc(str(text or ""))
    # format_vnd's own output ("125.000 ₫", non-breaking space) reads back as it was shown
    compact = _CURRENCY_SUFFIX.sub("", raw.lower().replace(" ", "").replace("\u00a0", ""))
    match = _PRICE.match(compact)
    if not raw or not match:
        raise _price_error(raw)
    number, unit = match["number"], match["unit"]
    if unit:
        # With a unit a decimal part is allowed: "1,5tr" = 1 500 000, "12.5k" = 12 500.
        if number.count(".") + number.count(",") > 1:
            raise _price_error(raw)
        try:
            amount = Decimal(number.replace(",", ".")) * _PRICE_UNITS[unit]
        except InvalidOperation:
            raise _price_error(raw)
        if amount != amount.to_integral_value():
            raise _price_error(raw)
        return validate_price(int(amount))
    if number.isdigit():
        return validate_price(int(number))
    if _GROUPED.match(number):
        return validate_price(int(re.sub(r"[.,]", "", number)))
    raise _price_error(raw)


def parse_quantity(text: str | int) -> int:
    if isinstance(text, int) and not isinstance(text, bool):
        return validate_quantity(text)
    raw = nfc(str(text or "")).replace(".", "").replace(",", "")
    if re.fullmatch(r"-?\d+", raw):
        return validate_quantity(int(raw))  # the one stock rule (a negative count included)
    raise DomainError(
        ProducerError.INVALID_QUANTITY, gettext("Số lượng tồn kho phải là số nguyên ≥ 0."), "stock"
    )


# --- Scoping --------------------------------------------------------------------------------


def producers_of(user):
    return Producer.objects.for_member(user)


def get_producer(user, code: str) -> Producer:
    producer = producers_of(user).filter(code=code).first()
    if producer is None or role_in(user, producer) is None:
        raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy chủ thể."), "producer")
    return producer


def get_product(user, pk, *, for_update: bool = False) -> Product:
    """One of the user's products; another producer's product is 'not found', never 'denied'."""
    queryset = Product.objects.for_member(user).select_related("producer", "product_set")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    product = queryset.filter(pk=pk).first()
    if product is None:
        raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy sản phẩm."), "product")
    return product


def get_image(user, product_pk, image_pk) -> ProductImage:
    product = get_product(user, product_pk)
    image = product.images.filter(pk=image_pk).first()
    if image is None:
        raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy ảnh."), "image")
    return image


# --- Listings -------------------------------------------------------------------------------


@dataclass
class ListingInput:
    name: str
    product_set_code: str
    unit: str
    price: int | str
    stock: int | str = 0
    description: str = ""
    certificate_number: str = ""
    net_weight_g: int = 0
    gtin: str | None = None  # None keeps the current one; "" clears it (while it has no lots)
    allocate_gtin: bool = False
    certificate_confirmed: bool = False  # staff vouch that the certificate covers this listing
    name_en: str = ""  # optional English name


def _certificate(producer: Producer, number: str) -> OcopCertificate | None:
    number = nfc(number)
    if not number:
        return None
    certificate = producer.certificates.filter(number=number).first()
    if certificate is None:
        raise DomainError(
            ProducerError.CERTIFICATE_NOT_OWNED,
            gettext("Giấy chứng nhận %(number)s không thuộc %(name)s.")
            % {"number": number, "name": producer.name},
            "certificate",
        )
    return certificate


def _collect(errors: list, parse, *args):
    try:
        return parse(*args)
    except DomainError as exc:
        errors.append(exc)
        return None


def _checked(data: ListingInput, producer: Producer) -> tuple[int, int, OcopCertificate | None]:
    """Parse every field, collecting all errors so the form shows them at once."""
    errors: list[DomainError] = []
    name = nfc(data.name)
    if not name:
        errors.append(
            DomainError(
                ProducerError.REQUIRED, gettext("Tên sản phẩm không được để trống."), "name"
            )
        )
    elif len(name) > MAX_NAME_CHARS:
        errors.append(
            DomainError(
                ProducerError.TOO_LONG,
                gettext("Tên dài tối đa %(max_name_chars)s ký tự.")
                % {"max_name_chars": MAX_NAME_CHARS},
                "name",
            )
        )
    if not nfc(data.unit):
        errors.append(
            DomainError(ProducerError.REQUIRED, gettext("Cần đơn vị bán, ví dụ 'hũ 500g'."), "unit")
        )
    price = _collect(errors, parse_price, data.price)
    quantity = _collect(errors, parse_quantity, data.stock)
    certificate = _collect(errors, _certificate, producer, data.certificate_number)
    if data.gtin and data.allocate_gtin:
        errors.append(
            DomainError(
                ProducerError.GTIN_CHOICE,
                gettext("Nhập GTIN của cơ sở hoặc chọn cấp mã mới, không cả hai."),
                "gtin",
            )
        )
    elif data.gtin:
        _collect(errors, gtin_allocation.normalise_own, data.gtin)
    if errors:
        raise ValidationFailed(errors)
    return price, quantity, certificate


def _next_sku(producer: Producer) -> str:
    """'<producer code>-NN', one past the highest number this producer has used."""
    prefix = f"{producer.code}-"
    taken = Product.objects.filter(sku__startswith=prefix).values_list("sku", flat=True)
    numbers = [int(sku[len(prefix) :]) for sku in taken if sku[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


SKU_ATTEMPTS = 5


def _insert_new(producer: Producer, data_for) -> Product:
    """Insert a new product under the next SKU; if another listing took that SKU meanwhile,
    take the following one. Never an update: a new listing cannot overwrite another."""
    for _ in range(SKU_ATTEMPTS):
        try:
            with transaction.atomic():
                product, _ = upsert_product(data_for(_next_sku(producer)), create_only=True)
            return product
        except IntegrityError:
            continue
    raise DomainError(
        ProducerError.BUSY, gettext("Đang có nhiều sản phẩm được tạo cùng lúc, hãy thử lại."), "sku"
    )


def _gtin_for(current: Product | None, data: ListingInput) -> str:
    """The listing's GTIN after this edit; a GTIN printed on lots' labels never changes."""
    existing = (current.gtin or "") if current else ""
    if data.allocate_gtin:
        if existing:
            raise DomainError(
                ProducerError.GTIN_SET,
                gettext("Sản phẩm đã có GTIN %(existing)s.") % {"existing": existing},
                "gtin",
            )
        return gtin_allocation.allocate()
    wanted = existing if data.gtin is None else data.gtin
    wanted = gtin_allocation.normalise_own(wanted) if wanted.strip() else ""
    if wanted != existing and current is not None and current.batches.exists():
        raise DomainError(
            ProducerError.GTIN_LOCKED,
            gettext("GTIN %(existing)s đã in trên tem của các lô hàng nên không đổi được.")
            % {"existing": existing},
            "gtin",
        )
    return wanted


def _product_data(
    product_or_none, producer, data: ListingInput, price, certificate, user=None, **extra
):
    current = product_or_none
    vouched = user if data.certificate_confirmed and certificate is not None else None
    return ProductData(
        sku=current.sku if current else extra.pop("sku"),
        name=data.name,
        name_en=data.name_en,
        producer=producer,
        product_set_code=data.product_set_code,
        unit=data.unit,
        price=price,
        description=data.description,
        net_weight_g=data.net_weight_g or 0,
        certificate=certificate,
        gtin=_gtin_for(current, data),
        status=current.status if current else ProductStatus.DRAFT,
        certificate_confirmed_by=vouched,
        **extra,
    )


@transaction.atomic
def create_listing(user, producer: Producer, data: ListingInput) -> Product:
    """A new draft listing with its stock; published later with one tap."""
    if role_in(user, producer) is None:
        raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy chủ thể."), "producer")
    price, quantity, certificate = _checked(data, producer)
    product = _insert_new(
        producer, lambda sku: _product_data(None, producer, data, price, certificate, user, sku=sku)
    )
    set_stock(product, quantity)
    return product


@transaction.atomic
def update_listing(user, pk, data: ListingInput) -> Product:
    product = get_product(user, pk, for_update=True)
    price, quantity, certificate = _checked(data, product.producer)
    product, _ = upsert_product(
        _product_data(product, product.producer, data, price, certificate, user)
    )
    set_stock(product, quantity)
    return product


@transaction.atomic
def quick_update(user, pk, *, price=None, stock=None) -> Product:
    """Inline edits from the list: price and/or stock, each optional."""
    product = get_product(user, pk, for_update=True)
    errors: list[DomainError] = []
    new_price = _collect(errors, parse_price, price) if price not in (None, "") else None
    quantity = _collect(errors, parse_quantity, stock) if stock not in (None, "") else None
    if errors:
        raise ValidationFailed(errors)
    if new_price is not None and new_price != product.price:
        product.price = new_price
        product.save(update_fields=["price", "updated_at"])
    if quantity is not None:
        set_stock(product, quantity)
    return product


@transaction.atomic
def set_published(user, pk, published: bool) -> Product:
    product = get_product(user, pk, for_update=True)
    return publish_product(product) if published else hide_product(product)


@transaction.atomic
def duplicate_listing(user, pk) -> Product:
    """A draft copy (stock 0) with copies of the photos, for a similar product or size."""
    original = get_product(user, pk)
    copy = _insert_new(
        original.producer,
        lambda sku: ProductData(
            sku=sku,
            name=f"{original.name} (bản sao)"[:MAX_NAME_CHARS],
            name_en=original.name_en,
            producer=original.producer,
            product_set_code=original.product_set_id,
            unit=original.unit,
            price=original.price,
            description=original.description,
            net_weight_g=original.net_weight_g,
            # a staff confirmation vouched for the original listing, not for a copy
            certificate=None if original.certificate_confirmed_by_id else original.certificate,
        ),
    )
    set_stock(copy, 0)
    for picture in original.images.filter(is_placeholder=False):
        with picture.file.open("rb") as handle, Image.open(handle) as source:
            images.store_image(copy, source, alt=picture.alt, position=picture.position)
    return copy


# --- Photos ---------------------------------------------------------------------------------


def check_room_for_photo(product: Product, waiting: int = 0) -> None:
    """Refuse a photo beyond MAX_PHOTOS, counting those still being processed (`waiting`)."""
    if product.images.filter(is_placeholder=False).count() + waiting >= MAX_PHOTOS:
        raise DomainError(
            ProducerError.TOO_MANY_PHOTOS,
            gettext("Mỗi sản phẩm có tối đa %(max_photos)s ảnh.") % {"max_photos": MAX_PHOTOS},
            "image",
        )


@transaction.atomic
def add_photo(user, pk, upload, alt: str = "") -> ProductImage:
    """Store a phone photo as the product's last picture; generated placeholders make way."""
    product = get_product(user, pk, for_update=True)
    check_room_for_photo(product)
    position = images.next_position(product)
    picture = images.store_upload(product, upload, alt=nfc(alt)[:200], position=position)
    images.drop_placeholders(product)
    return picture


@transaction.atomic
def delete_photo(user, product_pk, image_pk) -> None:
    images.delete_image(get_image(user, product_pk, image_pk))


@transaction.atomic
def move_photo(user, product_pk, image_pk, offset: int) -> list[ProductImage]:
    """Move a picture earlier (-1) or later (+1); the first picture is the cover."""
    picture = get_image(user, product_pk, image_pk)
    ordered = list(picture.product.images.select_for_update().order_by("position", "id"))
    index = next(i for i, p in enumerate(ordered) if p.pk == picture.pk)
    target = max(0, min(len(ordered) - 1, index + offset))
    ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    return ordered
