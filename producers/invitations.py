"""Bringing people in: owners invite staff, the trade office or staff make a producer's first
owner and office users, and holders of existing accounts accept or decline.

The rule that closes account takeover: nobody who invites ever gets a way to set or reset the
invitee's password. A new account gets a single-use, expiring set-password link sent to its own
phone or email (the management commands print it for the operator, as the contract says); an
existing account gets a membership request that its holder accepts while signed in. Staff and
superuser accounts are never invited into a producer.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from marketplace import access
from marketplace.access import Permission, office_group
from marketplace.addresses.phones import normalize_phone
from marketplace.errors import DomainError
from marketplace.notify.sms import send_sms
from marketplace.text import nfc
from producers.errors import ProducerError
from producers.models import MemberRole, Membership, MembershipRequest, Producer, RequestStatus
from producers.onetime import issue_set_password_link


@dataclass
class Invitation:
    """What an invite did. `link_path` is set only for a new account (never shown on a page:
    it went to the invitee's own phone/email; the commands print it for the operator)."""

    user: object
    membership: Membership | None = None
    request: MembershipRequest | None = None
    link_path: str = ""
    sent_to: tuple[str, ...] = ()

    @property
    def is_request(self) -> bool:
        return self.request is not None


def _identity(phone: str, email: str) -> tuple[str, str]:
    email = nfc(email).lower()
    phone = normalize_phone(phone) if nfc(phone) else ""
    if not phone and not email:
        raise DomainError(ProducerError.REQUIRED, gettext("Cần số điện thoại hoặc email."), "phone")
    return phone, email


def _existing_account(phone: str, email: str):
    User = get_user_model()
    by_phone = User.objects.filter(username=phone).first() if phone else None
    by_email = User.objects.filter(email__iexact=email).order_by("pk").first() if email else None
    if by_phone and by_email and by_phone.pk != by_email.pk:
        raise DomainError(
            ProducerError.IDENTITY_MISMATCH,
            gettext("Số điện thoại và email này thuộc hai tài khoản khác nhau; hãy chỉ nhập một."),
            "email",
        )
    user = by_phone or by_email
    if user is not None and (user.is_staff or user.is_superuser):
        raise DomainError(
            ProducerError.STAFF_ACCOUNT,
            gettext("Tài khoản quản trị của hệ thống không thể được mời vào một chủ thể."),
            "phone" if by_phone else "email",
        )
    return user


def _new_account(phone: str, email: str, name: str = ""):
    user = get_user_model()(username=phone or email, email=email, first_name=nfc(name)[:150])
    user.set_unusable_password()
    user.save()
    return user


def _request(user, producer, role, inviter) -> MembershipRequest:
    try:
        with transaction.atomic():
            return MembershipRequest.objects.create(
                user=user, producer=producer, role=role, invited_by=inviter
            )
    except IntegrityError:
        raise DomainError(
            ProducerError.ALREADY_INVITED,
            gettext("Người này đã có một lời mời đang chờ trả lời."),
            "phone",
        )


def _deliver(invitation: Invitation, subject: str, text: str) -> Invitation:
    """Send after the commit: SMS to the account's phone, email to its address."""
    user, sent = invitation.user, []
    if user.username.startswith("+84"):
        send_sms(user.username, text)
        sent.append(user.username)
    if user.email:
        send_mail(subject, text, None, [user.email])
        sent.append(user.email)
    invitation.sent_to = tuple(sent)
    return invitation


def _invite_text(where: str, invitation: Invitation) -> str:
    if invitation.link_path:
        return (
            f"Chợ OCOP An Giang: bạn được mời quản lý {where}. Đặt mật khẩu (dùng một lần, "
            f"hết hạn sau 72 giờ): {settings.SITE_URL}{invitation.link_path}"
        )
    return (
        f"Chợ OCOP An Giang: bạn được mời tham gia {where}. Đăng nhập rồi nhận lời mời tại "
        f"{settings.SITE_URL}{reverse('portal:requests')}"
    )


def _into_producer(inviter, producer, role, phone, email, name) -> Invitation:
    phone, email = _identity(phone, email)
    user = _existing_account(phone, email)
    field = "phone" if phone else "email"
    if user is None:
        user = _new_account(phone, email, name)
        membership = Membership.objects.create(user=user, producer=producer, role=role)
        return Invitation(user, membership=membership, link_path=issue_set_password_link(user))
    current = Membership.objects.filter(user=user, producer=producer).first()
    if current is not None and (current.role == role or role == MemberRole.STAFF):
        raise DomainError(
            ProducerError.ALREADY_MEMBER, gettext("Người này đã là thành viên của chủ thể."), field
        )
    return Invitation(user, request=_request(user, producer, role, inviter))


def invite_member(
    inviter, producer: Producer, *, phone: str = "", email: str = "", name: str = ""
) -> Invitation:
    """An owner adds a staff member by phone and/or email.

    A number already working for another producer is refused: a person joins a second producer
    only by accepting a request from the trade office or staff (create_producer_owner).
    """
    with transaction.atomic():
        access.require(inviter, Permission.OWN_PRODUCER, producer)
        normalized, lowered = _identity(phone, email)
        user = _existing_account(normalized, lowered)
        if user is not None and user.memberships.exclude(producer=producer).exists():
            raise DomainError(
                ProducerError.MEMBER_ELSEWHERE,
                gettext(
                    "Số điện thoại/email này đã là thành viên của một chủ thể khác nên không "
                    "mời được. Nếu cần, hãy liên hệ Sở Công Thương."
                ),
                "phone" if normalized else "email",
            )
        invitation = _into_producer(inviter, producer, MemberRole.STAFF, phone, email, name)
    return _deliver(
        invitation,
        f"Mời tham gia quản lý gian hàng {producer.name}",
        _invite_text(f"gian hàng {producer.name}", invitation),
    )


def create_producer_owner(producer_code: str, *, phone: str, email: str = "", actor=None):
    """The first (or a further) owner of a producer, made by the trade office or staff.

    A new account gets a 72-hour set-password link (in `link_path`, and by SMS/email); an
    existing account gets a request to become owner, and no link at all.
    """
    with transaction.atomic():
        producer = Producer.objects.filter(code=nfc(producer_code).upper()).first()
        if producer is None:
            raise DomainError(
                ProducerError.UNKNOWN_PRODUCER,
                gettext("Không có chủ thể mã “%(producer_code)s”.")
                % {"producer_code": producer_code},
                "producer",
            )
        invitation = _into_producer(actor, producer, MemberRole.OWNER, phone, email, "")
    return _deliver(
        invitation,
        f"Tài khoản quản lý gian hàng {producer.name}",
        _invite_text(f"gian hàng {producer.name} (chủ tài khoản)", invitation),
    )


def create_office_user(*, phone: str, email: str = "", actor=None) -> Invitation:
    """A member of the trade office (group `trade_office`), the same way as an owner."""
    with transaction.atomic():
        phone_n, email_n = _identity(phone, email)
        user = _existing_account(phone_n, email_n)
        group = office_group()
        if user is None:
            user = _new_account(phone_n, email_n)
            user.groups.add(group)
            invitation = Invitation(user, link_path=issue_set_password_link(user))
        elif user.groups.filter(pk=group.pk).exists():
            raise DomainError(
                ProducerError.ALREADY_MEMBER,
                gettext("Người này đã là cán bộ Sở Công Thương."),
                "phone",
            )
        else:
            invitation = Invitation(user, request=_request(user, None, MemberRole.STAFF, actor))
    return _deliver(
        invitation, "Tài khoản Sở Công Thương", _invite_text("trang Sở Công Thương", invitation)
    )


# --- The invitee's side ---------------------------------------------------------------------


def pending_requests(user):
    if not user.is_authenticated:
        return MembershipRequest.objects.none()
    return (
        MembershipRequest.objects.filter(user=user, status=RequestStatus.PENDING)
        .select_related("producer", "invited_by")
        .order_by("-created_at")
    )


@transaction.atomic
def answer_request(user, request_id: int, accept: bool) -> MembershipRequest:
    """The signed-in holder accepts or declines; anyone else's request is 'not found'."""
    request = pending_requests(user).select_for_update(of=("self",)).filter(pk=request_id).first()
    if request is None:
        raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy lời mời."), "request")
    if accept and (user.is_staff or user.is_superuser):
        raise DomainError(
            ProducerError.STAFF_ACCOUNT,
            gettext("Tài khoản quản trị của hệ thống không thể tham gia một chủ thể."),
            "request",
        )
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    if accept and request.producer is None:
        user.groups.add(office_group())
    elif accept:
        Membership.objects.update_or_create(
            user=user, producer=request.producer, defaults={"role": request.role}
        )
    return request
