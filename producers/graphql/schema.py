"""Producer-side API: listing mutations for members, scoped to their own producers.

Thin: each mutation declares Permission.PORTAL (marketplace.graphql.mutations checks it), checks
the shape of its input, calls producers.listings; domain errors come back in its own error type.
Another producer's product answers NOT_FOUND, like a missing one.
"""

import graphene
from django.utils.translation import gettext
from graphene_file_upload.scalars import Upload
from graphql_relay import from_global_id

from marketplace.access import Permission
from marketplace.catalog.errors import CatalogError
from marketplace.catalog.graphql.types import Product
from marketplace.catalog.models import Product as ProductModel
from marketplace.checkout.errors import CheckoutError
from marketplace.errors import DomainError
from marketplace.graphql.core import Error
from marketplace.graphql.mutations import DomainMutation
from producers import fulfilment, listings
from producers.errors import ProducerError
from producers.graphql import returns, sub_orders


class ProductCreateError(Error):
    pass


class ProductUpdateError(Error):
    pass


class ProductImageUploadError(Error):
    pass


class StockUpdateError(Error):
    pass


class SubOrderUpdateError(Error):
    pass


class MemberMutation(DomainMutation):
    class Meta:
        abstract = True

    permission = Permission.PORTAL
    error_codes = (ProducerError, CatalogError)
    # Where the input names a field otherwise than the service does.
    field_names = {
        "certificate": "certificate_number",
        "ocop_set": "product_set",
        "cancel_reason": "reason",
    }


def _product_pk(global_id: str) -> int:
    try:
        kind, pk = from_global_id(global_id)
        if kind == "Product":
            return int(pk)
    except (ValueError, TypeError, UnicodeDecodeError):
        pass
    raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy sản phẩm."), "id")


def _reloaded(product_pk: int):
    return ProductModel.objects.for_listing().get(pk=product_pk)


class ProductCreateInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    name_en = graphene.String(default_value="", description="Tên tiếng Anh (không bắt buộc).")
    product_set = graphene.String(required=True, description="Mã bộ sản phẩm OCOP, vd. '1.8'.")
    unit = graphene.String(required=True)
    price = graphene.Int(required=True, description="Giá, đồng.")
    stock = graphene.Int(default_value=0)
    description = graphene.String(default_value="")
    certificate_number = graphene.String(default_value="")
    net_weight_g = graphene.Int(default_value=0)
    gtin = graphene.String(description="GTIN-13 của cơ sở (kiểm tra số kiểm tra, không trùng).")
    allocate_gtin = graphene.Boolean(
        default_value=False, description="Cấp GTIN mới từ mã doanh nghiệp GS1 của sàn."
    )


class ProductUpdateInput(graphene.InputObjectType):
    name = graphene.String()
    name_en = graphene.String(description='Tên tiếng Anh; "" bỏ tên tiếng Anh.')
    product_set = graphene.String()
    unit = graphene.String()
    price = graphene.Int()
    stock = graphene.Int()
    description = graphene.String()
    certificate_number = graphene.String()
    net_weight_g = graphene.Int()
    gtin = graphene.String(description='GTIN-13; "" bỏ GTIN (khi chưa có lô hàng).')
    allocate_gtin = graphene.Boolean(description="Cấp GTIN mới từ mã doanh nghiệp GS1 của sàn.")
    published = graphene.Boolean(description="true đăng bán, false ẩn.")


class ProductCreate(MemberMutation):
    class Arguments:
        producer_code = graphene.String(required=True)
        input = ProductCreateInput(required=True)

    product = graphene.Field(Product)
    errors = graphene.List(graphene.NonNull(ProductCreateError), required=True)

    @classmethod
    def perform(cls, info, producer_code, input):
        user = info.context.user
        producer = listings.get_producer(user, producer_code)
        product = listings.create_listing(
            user, producer, listings.ListingInput(**_listing_kwargs(input))
        )
        return ProductCreate(product=_reloaded(product.pk), errors=[])


def _listing_kwargs(data, current=None) -> dict:
    """Input fields in the service's names; a partial update keeps the current values."""
    base = {}
    if current is not None:
        base = {
            "name": current.name,
            "name_en": current.name_en,
            "product_set_code": current.product_set_id,
            "unit": current.unit,
            "price": current.price,
            "stock": current.stock_quantity,
            "description": current.description,
            "certificate_number": current.certificate.number if current.certificate_id else "",
            "net_weight_g": current.net_weight_g,
        }
    given = {k: v for k, v in data.items() if v is not None and k != "published"}
    if "product_set" in given:
        given["product_set_code"] = given.pop("product_set")
    return {**base, **given}


class ProductUpdate(MemberMutation):
    class Arguments:
        id = graphene.ID(required=True)
        input = ProductUpdateInput(required=True)

    product = graphene.Field(Product)
    errors = graphene.List(graphene.NonNull(ProductUpdateError), required=True)

    @classmethod
    def perform(cls, info, id, input):
        user = info.context.user
        pk = _product_pk(id)
        current = listings.get_product(user, pk)
        fields = _listing_kwargs(input, current)
        listings.update_listing(user, pk, listings.ListingInput(**fields))
        if input.get("published") is not None:
            listings.set_published(user, pk, input["published"])
        return ProductUpdate(product=_reloaded(pk), errors=[])


class ProductImage(graphene.ObjectType):
    id = graphene.ID(required=True)
    url = graphene.String(required=True)
    thumbnail_url = graphene.String(required=True, size=graphene.Int())
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)
    position = graphene.Int(required=True)

    @staticmethod
    def resolve_url(image, info):
        return info.context.build_absolute_uri(image.url)

    @staticmethod
    def resolve_thumbnail_url(image, info, size=None):
        return info.context.build_absolute_uri(image.thumbnail_url(size))


class ProductImageUpload(MemberMutation):
    """Multipart request (GraphQL multipart request spec): the file goes in `image`."""

    class Arguments:
        product_id = graphene.ID(required=True)
        image = Upload(required=True)
        alt = graphene.String(default_value="")

    product = graphene.Field(Product)
    image = graphene.Field(ProductImage)
    errors = graphene.List(graphene.NonNull(ProductImageUploadError), required=True)

    @classmethod
    def perform(cls, info, product_id, image, alt=""):
        pk = _product_pk(product_id)
        if not hasattr(image, "read"):
            raise DomainError(
                ProducerError.NOT_AN_IMAGE, gettext("Cần gửi tệp ảnh (multipart)."), "image"
            )
        picture = listings.add_photo(info.context.user, pk, image, alt)
        return ProductImageUpload(product=_reloaded(pk), image=picture, errors=[])


class StockUpdate(MemberMutation):
    class Arguments:
        product_id = graphene.ID(required=True)
        quantity = graphene.Int(required=True)

    product = graphene.Field(Product)
    errors = graphene.List(graphene.NonNull(StockUpdateError), required=True)

    @classmethod
    def perform(cls, info, product_id, quantity):
        pk = _product_pk(product_id)
        listings.quick_update(info.context.user, pk, stock=quantity)
        return StockUpdate(product=_reloaded(pk), errors=[])


class SubOrderAction(graphene.Enum):
    CONFIRM = "confirm"
    SHIP = "ship"
    DELIVER = "deliver"
    CANCEL = "cancel"


class ShipLotsInput(graphene.InputObjectType):
    sku = graphene.String(required=True, description="Mã sản phẩm của một dòng trong đơn.")
    lots = graphene.List(
        graphene.NonNull(graphene.String), required=True, description="Mã các lô lấy hàng."
    )


class SubOrderUpdate(MemberMutation):
    """Move one of the member's sub-orders along (cancel puts the stock back)."""

    class Arguments:
        id = graphene.ID(required=True, description="Sub-order id (số trong trang đơn hàng).")
        action = SubOrderAction(required=True)
        carrier = graphene.String(default_value="", description="Bắt buộc khi SHIP.")
        tracking_number = graphene.String(default_value="", description="Bắt buộc khi SHIP.")
        reason = graphene.String(default_value="", description="Lý do huỷ, bắt buộc khi CANCEL.")
        lots = graphene.List(
            graphene.NonNull(ShipLotsInput),
            description="Khi SHIP: lô của từng sản phẩm (không nêu: lô mới nhất còn hàng).",
        )

    status = graphene.String()
    errors = graphene.List(graphene.NonNull(SubOrderUpdateError), required=True)

    error_codes = (ProducerError, CheckoutError)

    @classmethod
    def perform(cls, info, id, action, carrier="", tracking_number="", reason="", lots=None):
        if not str(id).isdigit():
            raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy đơn hàng."), "id")
        action = action.value if hasattr(action, "value") else action
        sub = fulfilment.advance_sub_order(
            info.context.user,
            int(id),
            action,
            carrier=carrier,
            tracking_number=tracking_number,
            reason=reason,
            lot_codes={pick.sku: list(pick.lots) for pick in lots or []},
        )
        return SubOrderUpdate(status=sub.status.upper(), errors=[])


class Queries(sub_orders.Queries, graphene.ObjectType):
    pass


class Mutations(returns.Mutations, graphene.ObjectType):
    product_create = ProductCreate.Field(description="Thêm sản phẩm (bản nháp) cho một chủ thể.")
    product_update = ProductUpdate.Field(description="Sửa sản phẩm; published đăng bán/ẩn.")
    product_image_upload = ProductImageUpload.Field(description="Tải ảnh sản phẩm (multipart).")
    stock_update = StockUpdate.Field(description="Đặt số lượng tồn kho.")
    sub_order_update = SubOrderUpdate.Field(description="Xác nhận, gửi, giao hoặc huỷ đơn.")
