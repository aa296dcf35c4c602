"""The Django admin with the portal's sign-in limits (INSTALLED_APPS names AdminConfig)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.decorators import method_decorator

from config.ratelimit import limit_exempt, rate_limited


class LimitedAdminSite(admin.AdminSite):
    @method_decorator(rate_limited("signin"))
    def login(self, request, extra_context=None):
        return super().login(request, extra_context)

    @method_decorator(limit_exempt("ends the caller's own session"))
    def logout(self, request, extra_context=None):
        return super().logout(request, extra_context)


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin_site.LimitedAdminSite"

    def ready(self):
        super().ready()
        from config import signin_guard  # noqa: F401 - counts failed sign-ins from the start
