"""Staff admin for the OCOP groups and sets: view only (the list is the decision's, loaded by a
migration)."""

from django.contrib import admin

from config.admin_site import ReadOnlyAdminMixin
from marketplace.taxonomy.models import OcopGroup, ProductSet


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
