from django.contrib import admin

from marketplace.checkout.models import Order, OrderLine, SubOrder


class SubOrderInline(admin.TabularInline):
    model = SubOrder
    extra = 0
    fields = ["producer", "status", "zone", "weight_g", "subtotal", "shipping_fee", "total"]
    readonly_fields = fields
    can_delete = False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ["number", "created_at", "full_name", "province", "status", "total"]
    list_filter = ["status", "province"]
    search_fields = ["number", "phone", "email", "full_name"]
    list_select_related = ["province"]
    readonly_fields = [f.name for f in Order._meta.fields]
    inlines = [SubOrderInline]


@admin.register(OrderLine)
class OrderLineAdmin(admin.ModelAdmin):
    list_display = ["sku", "name", "quantity", "unit_price", "line_total", "sub_order"]
    search_fields = ["sku", "sub_order__order__number"]
    list_select_related = ["sub_order__order", "sub_order__producer"]
