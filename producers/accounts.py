"""Producer members' accounts: phone-or-email sign-in, roles, and owners inviting staff.

A member signs in with a Vietnamese phone number or an email address. Phone accounts keep the
normalised number (+84…) as their username, so one lookup finds them whatever way it was typed.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from marketplace.addresses.phones import normalize_phone
from marketplace.errors import DomainError
from marketplace.text import nfc
from producers.models import MemberRole, Membership, Producer


def find_user(identifier: str):
    """The active user signing in as `identifier` (email, phone or username), or None."""
    User = get_user_model()
    identifier = nfc(identifier)
    if not identifier:
        return None
    if "@" in identifier:
        return User.objects.filter(email__iexact=identifier, is_active=True).order_by("pk").first()
    try:
        username = normalize_phone(identifier)
    except DomainError:
        username = identifier
    return User.objects.filter(username=username, is_active=True).first()


def role_in(user, producer: Producer) -> str | None:
    """The user's role for this producer; platform staff act as owners (moderation)."""
    if not user.is_authenticated:
        return None
    if user.is_staff:
        return MemberRole.OWNER
    membership = Membership.objects.filter(user=user, producer=producer).only("role").first()
    return membership.role if membership else None


def require_owner(user, producer: Producer) -> None:
    if role_in(user, producer) != MemberRole.OWNER:
        raise DomainError(
            "PERMISSION_DENIED", "Chỉ chủ tài khoản mới làm được việc này.", "producer"
        )


def is_member(user) -> bool:
    """Whether the user may use the portal at all (members and platform staff)."""
    return user.is_authenticated and (user.is_staff or user.memberships.exists())


def set_password_path(user) -> str:
    """A one-time link (the password-reset token) that lets an invited member set a password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("portal:password_reset_confirm", args=[uid, token])


@dataclass
class Invitation:
    user: object
    membership: Membership
    link_path: str
    emailed: bool


@transaction.atomic
def invite_member(
    inviter, producer: Producer, *, phone: str = "", email: str = "", name: str = ""
) -> Invitation:
    """Owner adds a staff member by phone and/or email; returns the link to set a password.

    The link is also emailed when an address is given; otherwise the owner passes it on
    (Zalo, SMS). An existing account is reused, never duplicated.
    """
    require_owner(inviter, producer)
    User = get_user_model()
    email = nfc(email).lower()
    phone = normalize_phone(phone) if nfc(phone) else ""
    if not phone and not email:
        raise DomainError("REQUIRED", "Cần số điện thoại hoặc email của nhân viên.", "phone")
    user = None
    if phone:
        user = User.objects.filter(username=phone).first()
    if user is None and email:
        user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = User(username=phone or email, email=email, first_name=nfc(name)[:150])
        user.set_unusable_password()
        user.save()
    if Membership.objects.filter(user=user, producer=producer).exists():
        raise DomainError(
            "ALREADY_MEMBER",
            "Người này đã là thành viên của chủ thể.",
            "phone" if phone else "email",
        )
    membership = Membership.objects.create(user=user, producer=producer, role=MemberRole.STAFF)
    link_path = set_password_path(user)
    emailed = False
    if user.email:
        send_mail(
            f"Mời tham gia quản lý gian hàng {producer.name}",
            f"Bạn được mời quản lý gian hàng {producer.name} trên Chợ OCOP An Giang.\n"
            f"Đặt mật khẩu tại: {settings.SITE_URL}{link_path}\n",
            None,
            [user.email],
        )
        emailed = True
    return Invitation(user=user, membership=membership, link_path=link_path, emailed=emailed)


@transaction.atomic
def set_producers_active(producers, active: bool) -> int:
    """Staff moderation: approve (active) or suspend producer accounts; returns how many changed.

    A suspended producer's members keep their portal, but nothing of theirs can be published
    (catalog.services.publish_product) and the storefront hides their listings.
    """
    return (
        Producer.objects.filter(pk__in=[p.pk for p in producers])
        .exclude(is_active=active)
        .update(is_active=active)
    )
