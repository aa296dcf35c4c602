"""Who may see the trade-office pages: holders of the office permission (the `trade_office`
group, made by migration coverage 0002) and superusers."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

OFFICE_GROUP = "trade_office"
OFFICE_PERMISSION = "coverage.use_office"


def is_office_staff(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm(OFFICE_PERMISSION)


def office_group():
    """The `trade_office` group with its permission (as the migration made it; again after a
    test database flush)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    app_label, codename = OFFICE_PERMISSION.split(".")
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    if permission is not None:
        group.permissions.add(permission)
    return group


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
