"""Staff admin for producers and their OCOP certificates: read-mostly.

Changes go through producers.services (the portal, the loader, the register import), so the
admin only looks: no add, change or delete here, which keeps every rule in one place.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.admin_site import ReadOnlyAdminMixin
from producers.accounts import set_producers_active
from producers.models import Membership, OcopCertificate, Producer


class MembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Membership
    fields = ["user", "role", "created_at"]
    readonly_fields = fields
    extra = 0


class CertificateInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OcopCertificate
    fields = ["number", "product_name", "product_set", "stars", "issued_on", "expires_on"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product_set")


@admin.register(Producer)
class ProducerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "ward", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "slug", "phone", "tax_code", "ward__name"]
    list_select_related = ["ward"]
    ordering = ["code"]
    inlines = [MembershipInline, CertificateInline]
    actions = ["approve", "suspend"]  # moderation, through producers.accounts (portal helper)

    @admin.action(description=_("Duyệt (cho phép đăng bán)"))
    def approve(self, request, queryset):
        changed = set_producers_active(queryset, True)
        self.message_user(request, _("Đã duyệt %(n)d chủ thể.") % {"n": changed})

    @admin.action(description=_("Tạm ngưng (ẩn khỏi gian hàng)"))
    def suspend(self, request, queryset):
        changed = set_producers_active(queryset, False)
        self.message_user(request, _("Đã tạm ngưng %(n)d chủ thể.") % {"n": changed})


class ValidTodayFilter(admin.SimpleListFilter):
    title = _("còn hiệu lực hôm nay")
    parameter_name = "valid_today"

    def lookups(self, request, model_admin):
        return [("yes", _("Còn hiệu lực")), ("no", _("Hết hạn hoặc chưa hiệu lực"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        valid = {"issued_on__lte": today, "expires_on__gte": today}
        if self.value() == "yes":
            return queryset.filter(**valid)
        if self.value() == "no":
            return queryset.exclude(**valid)
        return queryset


@admin.register(OcopCertificate)
class OcopCertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "product_name",
        "producer",
        "product_set",
        "stars",
        "issued_on",
        "expires_on",
        "valid_today",
    ]
    list_filter = ["stars", "product_set", ValidTodayFilter]
    search_fields = ["number", "product_name", "producer__name", "producer__code", "decision"]
    list_select_related = ["producer", "product_set"]
    date_hierarchy = "expires_on"

    @admin.display(boolean=True, description=_("Hiệu lực hôm nay"))
    def valid_today(self, certificate: OcopCertificate) -> bool:
        return certificate.is_valid_on(timezone.localdate())
