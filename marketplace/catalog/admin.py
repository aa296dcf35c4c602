"""Staff admin for the catalog: read-mostly.

Products are written by catalog.services (portal, loader); the admin shows them and offers
only publish/hide actions, which call the same services.
"""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketplace.catalog import services
from marketplace.catalog.models import OcopGroup, Product, ProductImage, ProductSet, Stock
from marketplace.errors import DomainError
from marketplace.money import format_vnd
from producers.admin import ReadOnlyAdminMixin


class ProductSetInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProductSet
    fields = ["code", "name", "name_en"]
    readonly_fields = fields
    extra = 0


@admin.register(OcopGroup)
class OcopGroupAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "name", "name_en"]
    inlines = [ProductSetInline]


@admin.register(ProductSet)
class ProductSetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "group"]
    list_filter = ["group"]
    search_fields = ["code", "name", "name_en"]
    list_select_related = ["group"]


class ProductImageInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProductImage
    fields = ["preview", "file", "width", "height", "alt", "position", "is_placeholder"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("Ảnh"))
    def preview(self, image: ProductImage) -> str:
        return format_html(
            '<img src="{}" alt="" width="80" loading="lazy">', image.thumbnail_url(160)
        )


class StockInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Stock
    fields = ["quantity", "updated_at"]
    readonly_fields = fields


def _apply(modeladmin, request, queryset, service, done: str) -> None:
    count = 0
    for product in queryset.select_related("producer"):
        try:
            service(product)
        except DomainError as exc:
            modeladmin.message_user(request, f"{product.sku}: {exc.message}", messages.ERROR)
        else:
            count += 1
    modeladmin.message_user(request, done.format(count=count), messages.SUCCESS)


@admin.register(Product)
class ProductAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "sku",
        "name",
        "producer",
        "product_set",
        "stars",
        "price_vnd",
        "status",
        "stock_quantity",
    ]
    list_filter = ["status", "product_set", "certificate__stars"]
    search_fields = ["sku", "gtin", "name", "sort_name", "producer__name", "producer__code"]
    list_select_related = ["producer", "product_set", "certificate", "stock"]
    readonly_fields = ["sort_name"]
    inlines = [StockInline, ProductImageInline]
    actions = ["publish_selected", "hide_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("producer__ward", "product_set", "certificate", "stock")
        )

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("catalog.change_product")

    @admin.display(description=_("Sao OCOP"), ordering="certificate__stars")
    def stars(self, product: Product) -> int | None:
        return product.ocop_stars

    @admin.display(description=_("Giá"), ordering="price")
    def price_vnd(self, product: Product) -> str:
        return format_vnd(product.price)

    @admin.display(description=_("Tồn kho"), ordering="stock__quantity")
    def stock_quantity(self, product: Product) -> int:
        return product.stock_quantity

    @admin.action(description=_("Đăng bán các sản phẩm đã chọn"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        _apply(
            self,
            request,
            queryset,
            services.publish_product,
            gettext("Đã đăng bán {count} sản phẩm."),
        )

    @admin.action(description=_("Ẩn các sản phẩm đã chọn"), permissions=["publish"])
    def hide_selected(self, request, queryset):
        _apply(self, request, queryset, services.hide_product, gettext("Đã ẩn {count} sản phẩm."))
