"""The trade office's group: `trade_office`, holding the office permission (made by migration
coverage 0002). Who may see the office pages is decided in marketplace.access
(Permission.OFFICE); this module only sets the group up."""

from marketplace.access import OFFICE_PERMISSION
from marketplace.access import is_office as is_office_staff  # noqa: F401 - the office's name for it

OFFICE_GROUP = "trade_office"


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
