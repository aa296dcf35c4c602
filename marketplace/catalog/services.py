"""Catalog domain: creating, updating, publishing and moderating products (stock: stock.py)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace import access
from marketplace.access import Permission
from marketplace.catalog import gtin as gtin_rules
from marketplace.catalog.errors import CatalogError
from marketplace.catalog.models import Product, ProductStatus
from marketplace.errors import DomainError
from marketplace.models_util import assign_changed, full_clean_or_raise, unique_slug
from marketplace.taxonomy.models import ProductSet
from marketplace.text import nfc, nfc_lines, slugify_vi
from producers.certificates import require_covers
from producers.models import OcopCertificate, Producer

MAX_DESCRIPTION_CHARS = 10_000
MAX_PRICE_VND = 1_000_000_000


def get_product_set(code: str) -> ProductSet:
    try:
        return ProductSet.objects.get(code=code.strip())
    except ProductSet.DoesNotExist:
        raise DomainError(
            CatalogError.UNKNOWN_PRODUCT_SET,
            gettext("Bộ sản phẩm OCOP '%(code)s' không có trong QĐ 148.") % {"code": code},
            "ocop_set",
        )


@dataclass
class ProductData:
    sku: str
    name: str
    producer: Producer
    product_set_code: str
    unit: str
    price: int
    gtin: str = ""
    description: str = ""
    name_en: str = ""
    net_weight_g: int = 0
    certificate: OcopCertificate | None = None
    status: str = ProductStatus.DRAFT
    # A staff member who checked that `certificate` covers this listing (see confirm_certificate).
    certificate_confirmed_by: object = None


def validate_price(price: int) -> int:
    if not isinstance(price, int) or isinstance(price, bool):
        raise DomainError(
            CatalogError.INVALID_PRICE, gettext("Giá phải là số nguyên đồng."), "price"
        )
    if price < 0:
        raise DomainError(CatalogError.INVALID_PRICE, gettext("Giá không được âm."), "price")
    if price > MAX_PRICE_VND:
        raise DomainError(CatalogError.INVALID_PRICE, gettext("Giá vượt quá 1 tỷ đồng."), "price")
    return price


def _certificate_confirmation(product: Product, data: ProductData, name: str) -> int | None:
    """Who vouched for the listing's certificate: staff now, or earlier for the same one."""
    if data.certificate is None:
        return None
    if data.certificate_confirmed_by is not None:
        access.require(data.certificate_confirmed_by, Permission.CONFIRM_CERTIFICATE)
        confirmed_by_id = data.certificate_confirmed_by.pk
    elif product.pk and product.certificate_id == data.certificate.pk:
        confirmed_by_id = product.certificate_confirmed_by_id
    else:
        confirmed_by_id = None
    return confirmed_by_id


@transaction.atomic
def upsert_product(data: ProductData, *, create_only: bool = False) -> tuple[Product, bool]:
    """Create or update a product by SKU; returns (product, changed).

    `create_only` inserts and never updates: a SKU taken meanwhile raises IntegrityError (from
    the unique index, so two concurrent inserts cannot both pass), and the caller picks another.
    """
    validate_price(data.price)
    if data.status not in ProductStatus.values:
        raise DomainError(
            CatalogError.INVALID_STATUS,
            gettext("Trạng thái '%(status)s' không hợp lệ.") % {"status": data.status},
            "status",
        )
    gtin = data.gtin.strip() or None
    if gtin:
        try:
            gtin_rules.validate_gtin13(gtin)
        except gtin_rules.InvalidGtin as exc:
            raise DomainError(CatalogError.INVALID_GTIN, str(exc), "gtin") from exc
    description = nfc_lines(data.description)
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise DomainError(
            CatalogError.DESCRIPTION_TOO_LONG,
            gettext("Mô tả dài tối đa %(max_description_chars)s ký tự.")
            % {"max_description_chars": format(MAX_DESCRIPTION_CHARS, ",")},
            "description",
        )
    sku = data.sku.strip()
    product = Product(sku=sku) if create_only else Product.objects.filter(sku=sku).first()
    product = product or Product(sku=sku)
    if product.pk and product.producer_id != data.producer.pk:
        raise DomainError(
            CatalogError.SKU_TAKEN,
            gettext("SKU %(sku)s đã thuộc chủ thể khác.") % {"sku": sku},
            "sku",
        )
    name = nfc(data.name)
    if not name:
        raise DomainError(
            CatalogError.REQUIRED, gettext("Tên sản phẩm không được để trống."), "name"
        )
    confirmed_by_id = _certificate_confirmation(product, data, name)
    changed = assign_changed(
        product,
        gtin=gtin,
        name=name,
        name_en=nfc(data.name_en),
        sort_name=slugify_vi(name).replace("-", " "),
        description=description,
        producer_id=data.producer.pk,
        certificate_id=data.certificate.pk if data.certificate else None,
        certificate_confirmed_by_id=confirmed_by_id,
        product_set_id=get_product_set(data.product_set_code).code,
        unit=nfc(data.unit),
        net_weight_g=data.net_weight_g,
        price=data.price,
        status=data.status,
        slug=unique_slug(Product, slugify_vi(name), sku, product.pk),
    )
    if "status" in changed and data.status == ProductStatus.PUBLISHED:
        if product.is_moderated:
            raise _moderated_error(product)
        product.published_at = timezone.now()
    if product.pk and not changed:
        return product, False
    if gtin and Product.objects.filter(gtin=gtin).exclude(pk=product.pk).exists():
        raise DomainError(
            CatalogError.GTIN_TAKEN,
            gettext("GTIN %(gtin)s đã được dùng cho sản phẩm khác.") % {"gtin": gtin},
            "gtin",
        )
    if data.certificate is not None:  # a listing carries only a certificate that covers it
        require_covers(
            data.certificate,
            data.producer.pk,
            name,
            product.product_set_id,
            confirmed=confirmed_by_id is not None,
        )
    full_clean_or_raise(product)
    product.save(force_insert=create_only)
    return product, True


def _moderated_error(product: Product) -> DomainError:
    return DomainError(
        CatalogError.MODERATED,
        gettext(
            "Sản phẩm bị ban quản lý ẩn vì: “%(moderation_reason)s”. Hãy sửa theo "
            "góp ý rồi liên hệ ban quản lý để được mở lại."
        )
        % {"moderation_reason": product.moderation_reason},
        "status",
    )


@transaction.atomic
def publish_product(product: Product) -> Product:
    if not product.producer.is_active:
        raise DomainError(
            CatalogError.PRODUCER_INACTIVE,
            gettext("Chủ thể đang bị tạm ngưng, không thể đăng bán."),
        )
    if product.is_moderated:
        raise _moderated_error(product)
    if product.status != ProductStatus.PUBLISHED:
        product.status = ProductStatus.PUBLISHED
        product.published_at = timezone.now()
        product.save(update_fields=["status", "published_at", "updated_at"])
    return product


@transaction.atomic
def hide_product(product: Product) -> Product:
    if product.status != ProductStatus.HIDDEN:
        product.status = ProductStatus.HIDDEN
        product.save(update_fields=["status", "updated_at"])
    return product


# --- Staff moderation -------------------------------------------------------------------------

MAX_MODERATION_REASON_CHARS = 500


@transaction.atomic
def moderate_hide(product: Product, reason: str, by_staff) -> Product:
    """Staff take a listing down with a reason the producer reads in the portal.

    The listing stays hidden (the producer's publish is refused) until staff clear it.
    """
    access.require(by_staff, Permission.MODERATE)
    reason = " ".join(nfc(reason).split())
    if not reason:
        raise DomainError(
            CatalogError.REQUIRED, gettext("Cần ghi lý do để chủ thể biết phải sửa gì."), "reason"
        )
    if len(reason) > MAX_MODERATION_REASON_CHARS:
        raise DomainError(
            CatalogError.TOO_LONG,
            gettext("Lý do dài tối đa %(max_moderation_reason_chars)s ký tự.")
            % {"max_moderation_reason_chars": MAX_MODERATION_REASON_CHARS},
            "reason",
        )
    product = Product.objects.select_for_update().get(pk=product.pk)
    product.status = ProductStatus.HIDDEN
    product.moderation_reason = reason
    product.moderated_at = timezone.now()
    product.moderated_by = by_staff
    product.save(
        update_fields=[
            "status",
            "moderation_reason",
            "moderated_at",
            "moderated_by",
            "updated_at",
        ]
    )
    return product


@transaction.atomic
def clear_moderation(product: Product, by_staff) -> Product:
    """Lift a staff hide: the listing stays hidden, but the producer may publish it again."""
    access.require(by_staff, Permission.MODERATE)
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.is_moderated:
        product.moderation_reason = ""
        product.moderated_at = timezone.now()
        product.moderated_by = by_staff
        product.save(
            update_fields=["moderation_reason", "moderated_at", "moderated_by", "updated_at"]
        )
    return product
