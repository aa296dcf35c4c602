"""Pages declare what they need: `@requires(Permission.X)` enforces it (anonymous → the sign-in
page, signed in without it → 403) and records it, so tests/config/test_access_coverage.py can
check that no page is left without a policy. The rules themselves are in marketplace.access."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url

from marketplace import access
from marketplace.access import Permission


def requires(permission: Permission, *, login_url: str | None = None):
    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(
                    request.get_full_path(), resolve_url(login_url or settings.LOGIN_URL)
                )
            if not access.has(request.user, permission):
                raise PermissionDenied(access.denial(permission).message)
            return view(request, *args, **kwargs)

        return access.declare(wrapped, permission)

    return decorate
