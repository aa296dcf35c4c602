"""Who may see the trade-office pages: members of the "trade_office" group, and superusers."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

OFFICE_GROUP = "trade_office"


def is_office_staff(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=OFFICE_GROUP).exists()


def office_staff_required(view):
    """Anonymous → the office login page; signed in but not office staff → 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.urls import reverse

            return redirect_to_login(request.get_full_path(), reverse("coverage:login"))
        if not is_office_staff(request.user):
            raise PermissionDenied("Chỉ cán bộ Sở Công Thương được xem trang này.")
        return view(request, *args, **kwargs)

    return wrapped
