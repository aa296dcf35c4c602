from django.contrib import admin

from marketplace.addresses.models import Province, Ward


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type"]
    search_fields = ["code", "name", "codename"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name", "codename"]
    list_select_related = ["province"]
