"""Who may do what: the one place where the marketplace decides to say no.

- `MemberScopedQuerySet.for_member(user)` (`Producer.objects.for_member(user)`: the producers a
  user manages): the rows a user may manage. Platform staff reach every producer, members their
  own, everyone else none; in the portal the producer the user chose narrows it further
  (producers.portal.scope).
- `has(user, Permission.X, obj)` / `require(...)`: one rule per permission. Services call
  `require`; views and GraphQL fields declare theirs (`declare` / `public`), and
  tests/config/test_access_coverage.py fails on any endpoint without a declaration.

A denial is an `AccessDenied` domain error whose code says why (the API's `errors` carry it).

This module imports no app: producers.models builds on it (MemberScopedQuerySet), so memberships
are read through the user's reverse relation and the owner's role is named here.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext, gettext_noop

from marketplace.errors import AccessError, DomainError

# Set on request.user by the portal (producers.portal.scope) to the producer the user chose.
CHOSEN_PRODUCER_ATTR = "portal_producer_id"
# The trade office's Django permission (RegisterEntry.Meta.permissions), granted to the
# `trade_office` group by migration coverage 0002.
OFFICE_PERMISSION = "coverage.use_office"
OFFICE_GROUP = "trade_office"
# producers.models.MemberRole.OWNER is this value.
OWNER_ROLE = "owner"


class Permission(StrEnum):
    SIGNED_IN = "signed_in"  # any account (one's own invitations, lots reached through scope)
    PORTAL = "portal"  # a member of some producer, or platform staff
    OWN_PRODUCER = "own_producer"  # obj: a producer the user owns (platform staff act as owners)
    MODERATE = "moderate"  # platform staff: take listings down, clear them
    CONFIRM_CERTIFICATE = "confirm_certificate"  # platform staff vouch for an OCOP certificate
    RECORD_AS_INSPECTOR = "record_as_inspector"  # platform staff record for an inspection body
    OFFICE = "office"  # the trade office (Django permission coverage.use_office)
    ONBOARD = "onboard"  # invite producers' first owners: the trade office and platform staff
    REFUNDS = "refunds"  # platform staff: send bank refunds, decide disputed returns
    PAYOUTS = "payouts"  # platform staff: pay producers their settled statements


class AccessDenied(DomainError):
    pass


@dataclass(frozen=True)
class Rule:
    code: str  # the API code of a denial (kept as the contract and its clients know them)
    message: str  # marked with gettext_noop; translated when a denial is raised
    field: str | None = None


RULES = {
    Permission.SIGNED_IN: Rule(
        AccessError.UNAUTHENTICATED, gettext_noop("Cần đăng nhập bằng tài khoản của cơ sở.")
    ),
    Permission.PORTAL: Rule(
        AccessError.PERMISSION_DENIED,
        gettext_noop("Cần đăng nhập bằng tài khoản thành viên gian hàng."),
    ),
    Permission.OWN_PRODUCER: Rule(
        AccessError.PERMISSION_DENIED,
        gettext_noop("Chỉ chủ tài khoản mới làm được việc này."),
        "producer",
    ),
    Permission.MODERATE: Rule(
        AccessError.PERMISSION_DENIED, gettext_noop("Chỉ cán bộ quản lý mới kiểm duyệt sản phẩm.")
    ),
    Permission.CONFIRM_CERTIFICATE: Rule(
        AccessError.FORBIDDEN,
        gettext_noop("Chỉ ban quản lý mới xác nhận được chứng nhận."),
        "certificate",
    ),
    Permission.RECORD_AS_INSPECTOR: Rule(
        AccessError.FORBIDDEN,
        gettext_noop("Chỉ cán bộ quản lý mới ghi thay đơn vị kiểm nghiệm."),
        "inspector",
    ),
    Permission.OFFICE: Rule(
        AccessError.PERMISSION_DENIED, gettext_noop("Chỉ cán bộ Sở Công Thương được xem trang này.")
    ),
    Permission.ONBOARD: Rule(
        AccessError.PERMISSION_DENIED, gettext_noop("Chỉ cán bộ Sở Công Thương được xem trang này.")
    ),
    Permission.REFUNDS: Rule(
        AccessError.PERMISSION_DENIED,
        gettext_noop("Chỉ nhân viên của sàn mới xử lý hoàn tiền và khiếu nại trả hàng."),
    ),
    Permission.PAYOUTS: Rule(
        AccessError.PERMISSION_DENIED,
        gettext_noop("Chỉ nhân viên của sàn mới chi trả cho nhà sản xuất."),
    ),
}


def _signed_in(user) -> bool:
    return user is not None and user.is_authenticated


def is_platform_staff(user) -> bool:
    return _signed_in(user) and user.is_staff


def is_office(user) -> bool:
    return _signed_in(user) and user.is_active and user.has_perm(OFFICE_PERMISSION)


def office_group():
    """The `trade_office` group with its permission (as the migration made it; again after a
    test database flush)."""
    from django.contrib.auth.models import Group
    from django.contrib.auth.models import Permission as AuthPermission

    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    app_label, codename = OFFICE_PERMISSION.split(".")
    permission = AuthPermission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    if permission is not None:
        group.permissions.add(permission)
    return group


def role_in(user, producer) -> str | None:
    """The user's role for this producer; platform staff act as owners (moderation)."""
    if not _signed_in(user):
        return None
    if user.is_staff:
        return OWNER_ROLE
    membership = user.memberships.filter(producer=producer).only("role").first()
    return membership.role if membership else None


def _owns(user, producer) -> bool:
    return producer is not None and role_in(user, producer) == OWNER_ROLE


CHECKS = {
    Permission.SIGNED_IN: lambda user, obj: _signed_in(user),
    Permission.PORTAL: lambda user, obj: (
        is_platform_staff(user) or (_signed_in(user) and user.memberships.exists())
    ),
    Permission.OWN_PRODUCER: _owns,
    Permission.MODERATE: lambda user, obj: is_platform_staff(user),
    Permission.CONFIRM_CERTIFICATE: lambda user, obj: is_platform_staff(user),
    Permission.RECORD_AS_INSPECTOR: lambda user, obj: is_platform_staff(user),
    Permission.OFFICE: lambda user, obj: is_office(user),
    Permission.ONBOARD: lambda user, obj: is_office(user) or is_platform_staff(user),
    Permission.REFUNDS: lambda user, obj: is_platform_staff(user),
    Permission.PAYOUTS: lambda user, obj: is_platform_staff(user),
}


def has(user, permission: Permission, obj=None) -> bool:
    return CHECKS[permission](user, obj)


def denial(permission: Permission, field: str | None = None) -> AccessDenied:
    rule = RULES[permission]
    return AccessDenied(rule.code, gettext(rule.message), field or rule.field)


def require(user, permission: Permission, obj=None, *, field: str | None = None) -> None:
    """Raise the permission's `AccessDenied` unless `user` has it (for `obj`, if given)."""
    if not has(user, permission, obj):
        raise denial(permission, field)


# --- Scoping rows to the producers a user manages ---------------------------------------------


def scope(queryset, user, producer_path: str):
    """The one place a member's reach is written (see the module docstring)."""
    if not _signed_in(user):
        return queryset.none()
    prefix = f"{producer_path}__" if producer_path else ""
    chosen = getattr(user, CHOSEN_PRODUCER_ATTR, None)
    if chosen is not None:
        queryset = queryset.filter(**{f"{prefix}pk": chosen})
    if user.is_staff:
        return queryset
    # One row per producer: a user has at most one membership of each (membership_unique).
    return queryset.filter(**{f"{prefix}memberships__user": user})


class MemberScopedQuerySet(models.QuerySet):
    """`for_member(user)`: the rows of the producers `user` may manage.

    A subclass names its model's path to the producer ("" for Producer itself).
    """

    producer_path = "producer"

    def for_member(self, user):
        return scope(self, user, self.producer_path)


# --- Declarations: every view and GraphQL root field says what it needs ------------------------

POLICY_ATTR = "access_policy"


@dataclass(frozen=True)
class Policy:
    permission: Permission | None  # None: anyone may call it
    reason: str = ""  # for public endpoints: why that is safe (tokens, signatures, scoping)


def declare(target, permission: Permission):
    """Record on a view (or resolver, or mutation class) the permission it enforces."""
    setattr(target, POLICY_ATTR, Policy(Permission(permission)))
    return target


def public(reason: str):
    """Decorator: anyone may call this endpoint, for the reason given (never empty)."""
    if not reason.strip():
        raise ValueError("a public endpoint says why it may be public")

    def decorate(target):
        setattr(target, POLICY_ATTR, Policy(None, reason.strip()))
        return target

    return decorate


def policy_of(target) -> Policy | None:
    return getattr(target, POLICY_ATTR, None)
