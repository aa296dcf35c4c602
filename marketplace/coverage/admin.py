"""Read-mostly admin: the office imports through its pages; admin is for looking things up."""

from django.contrib import admin

from marketplace.coverage.models import (
    CoverageSnapshot,
    ExternalListing,
    ListingLink,
    RegisterEntry,
)


@admin.register(RegisterEntry)
class RegisterEntryAdmin(admin.ModelAdmin):
    list_display = [
        "certificate_number",
        "product_name",
        "producer_name",
        "ward",
        "stars",
        "issued_on",
        "expires_on",
    ]
    list_filter = ["stars", "product_set__group"]
    search_fields = ["certificate_number", "name_key", "producer_key"]
    list_select_related = ["ward"]
    raw_id_fields = ["producer"]


@admin.register(ExternalListing)
class ExternalListingAdmin(admin.ModelAdmin):
    list_display = ["product_name", "platform", "certificate_number", "seen_on", "register_entry"]
    list_filter = ["platform"]
    search_fields = ["product_name", "producer_name", "certificate_number", "url"]
    raw_id_fields = ["register_entry"]


@admin.register(ListingLink)
class ListingLinkAdmin(admin.ModelAdmin):
    list_display = ["register_entry", "product", "method", "confidence", "status", "reviewed_by"]
    list_filter = ["method", "status"]
    raw_id_fields = ["register_entry", "product", "reviewed_by"]


@admin.register(CoverageSnapshot)
class CoverageSnapshotAdmin(admin.ModelAdmin):
    list_display = ["month", "as_of", "certified", "online", "share"]
    readonly_fields = ["breakdowns"]
