"""Staff admin for the catalog: read-mostly.

Products are written by catalog.services (portal, loader); the admin shows them and offers
only publish/hide and moderation actions, which call the same services.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.admin_site import ReadOnlyAdminMixin
from marketplace.catalog import services
from marketplace.catalog.models import Product, ProductImage, Stock
from marketplace.errors import DomainError
from marketplace.money import format_vnd


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


class ModerationForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do (chủ thể sẽ đọc được)"),
        max_length=services.MAX_MODERATION_REASON_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
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


class ModeratedFilter(admin.SimpleListFilter):
    title = _("kiểm duyệt")
    parameter_name = "moderated"

    def lookups(self, request, model_admin):
        return [("yes", _("Bị ban quản lý ẩn"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(moderation_reason="")
        return queryset


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
        "moderation_reason",
    ]
    list_filter = ["status", "product_set", "certificate__stars", ModeratedFilter]
    search_fields = ["sku", "gtin", "name", "sort_name", "producer__name", "producer__code"]
    list_select_related = ["producer", "product_set", "certificate", "stock"]
    readonly_fields = ["sort_name"]
    inlines = [StockInline, ProductImageInline]
    actions = ["publish_selected", "hide_selected", "moderate_hide", "clear_moderation"]

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

    @admin.action(description=_("Ẩn vì vi phạm (ghi lý do cho chủ thể)"), permissions=["publish"])
    def moderate_hide(self, request, queryset):
        """Two steps: the action shows a reason form; its submit ("apply") hides the products."""
        form = ModerationForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            _apply(
                self,
                request,
                queryset,
                lambda product: services.moderate_hide(
                    product, form.cleaned_data["reason"], request.user
                ),
                gettext("Đã ẩn {count} sản phẩm kèm lý do."),
            )
            return None
        return TemplateResponse(
            request,
            "admin/catalog/product/moderate_hide.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("Ẩn sản phẩm vì vi phạm"),
                "opts": self.model._meta,
                "products": list(queryset.select_related("producer")),
                "form": form,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("Bỏ kiểm duyệt (cho phép đăng lại)"), permissions=["publish"])
    def clear_moderation(self, request, queryset):
        _apply(
            self,
            request,
            queryset,
            lambda product: services.clear_moderation(product, request.user),
            gettext("Đã bỏ kiểm duyệt {count} sản phẩm."),
        )
