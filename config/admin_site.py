"""The Django admin with the portal's sign-in limits (INSTALLED_APPS names AdminConfig), and the
read-only pages every app's admin is made of."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.decorators import method_decorator

from config.ratelimit import limit_exempt, rate_limited
from marketplace.access import public


class ReadOnlyAdminMixin:
    """View-only admin pages: the domain services are the only writers."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LimitedAdminSite(admin.AdminSite):
    """Every admin page but sign-in and sign-out needs an active staff account
    (AdminSite.has_permission): tests/config/test_access_coverage.py checks each one."""

    @method_decorator(public("the admin's sign-in page (attempts limited)"))
    @method_decorator(rate_limited("signin"))
    def login(self, request, extra_context=None):
        return super().login(request, extra_context)

    @method_decorator(public("ends the caller's own session"))
    @method_decorator(limit_exempt("ends the caller's own session"))
    def logout(self, request, extra_context=None):
        return super().logout(request, extra_context)


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin_site.LimitedAdminSite"

    def ready(self):
        super().ready()
        from config import signin_guard  # noqa: F401 - counts failed sign-ins from the start
