"""One-time secrets that let a person into their own account: set-password links for new
accounts and SMS codes (a password reset by phone; a shopper's sign-in, marketplace.accounts,
through issue_code / try_code).

Both are stored hashed, expire, and work once. A link exists only for an account that has never
had a password, so it can never take over an account someone already uses. Every code try counts
against that code (not against a request), and a code dies after MAX_CODE_ATTEMPTS wrong tries.
"""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext

from marketplace.addresses.phones import normalize_phone
from marketplace.errors import DomainError, ValidationFailed
from marketplace.notify.sms import send_sms
from producers.errors import ProducerError
from producers.models import PhoneCode, SetPasswordLink

LINK_LIFETIME = timedelta(hours=72)
CODE_LIFETIME = timedelta(minutes=10)
MAX_CODE_ATTEMPTS = 5
MAX_CODES_PER_HOUR = 3


def link_invalid() -> DomainError:
    """Built when raised: the message is in the language of the request that meets it."""
    return DomainError(
        ProducerError.LINK_INVALID,
        gettext(
            "Đường dẫn đặt mật khẩu đã hết hạn hoặc đã được dùng. Hãy nhờ người mời "
            "gửi lại, hoặc dùng “Quên mật khẩu” để nhận mã qua SMS."
        ),
        "token",
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_set_password_link(user, lifetime: timedelta = LINK_LIFETIME) -> str:
    """A new single-use link path (/portal/…) for a new account's first password."""
    token = secrets.token_urlsafe(32)
    SetPasswordLink.objects.create(
        user=user, token_hash=_token_hash(token), expires_at=timezone.now() + lifetime
    )
    return reverse("portal:activate", args=[token])


def _usable_link(token: str, *, for_update: bool = False) -> SetPasswordLink:
    links = SetPasswordLink.objects.select_related("user")
    if for_update:
        links = links.select_for_update()
    link = links.filter(token_hash=_token_hash(token or "")).first()
    if (
        link is None
        or link.used_at is not None
        or link.expires_at <= timezone.now()
        or not link.user.is_active
        or link.user.has_usable_password()  # set since, by this or any other way
    ):
        raise link_invalid()
    return link


def link_user(token: str):
    """The account a valid link is for (to show the form); link_invalid() otherwise."""
    return _usable_link(token).user


def _validated(password: str, user) -> str:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            [
                DomainError(ProducerError.WEAK_PASSWORD, message, "new_password1")
                for message in exc.messages
            ]
        )
    return password


@transaction.atomic
def set_password_with_link(token: str, password: str):
    """Set the first password and spend the link; returns the user."""
    link = _usable_link(token, for_update=True)
    user = link.user
    user.set_password(_validated(password, user))
    user.save(update_fields=["password"])
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    SetPasswordLink.objects.filter(user=user, used_at=None).update(used_at=link.used_at)
    return user


# --- Password reset by phone ----------------------------------------------------------------


def _code_hash(code: str) -> str:
    # Keyed: six digits are quick to try against a leaked table, not without SECRET_KEY.
    return salted_hmac("producers.onetime.PhoneCode", code, algorithm="sha256").hexdigest()


def _phone_user(phone: str):
    try:
        username = normalize_phone(phone)
    except DomainError:
        return None
    return get_user_model().objects.filter(username=username, is_active=True).first()


def issue_code(owner_rows, codes) -> str | None:
    """A new code for one owner (an account, a shopper), or None over the hourly limit.

    `owner_rows` selects the owner's row, locked so two requests at once cannot both pass the
    limit; `codes` is the owner's code rows (a related manager: `create()` adds one). A new
    code ends the older ones. The caller sends it after this returns (a network call).
    """
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        now = timezone.now()
        owner_rows.select_for_update().first()
        if codes.filter(created_at__gte=now - timedelta(hours=1)).count() >= MAX_CODES_PER_HOUR:
            return None
        codes.filter(used_at=None).update(used_at=now)
        codes.create(code_hash=_code_hash(code), expires_at=now + CODE_LIFETIME)
    return code


def request_phone_code(phone: str) -> None:
    """Text a reset code to the account with this phone number, if there is one.

    The caller answers the same either way (nobody learns which numbers have accounts); at
    most MAX_CODES_PER_HOUR codes an hour go to one account, and a new code ends the older ones.
    """
    normalize_phone(phone)  # a mistyped number is the typist's error: say so
    user = _phone_user(phone)
    if user is None:
        return
    code = issue_code(get_user_model().objects.filter(pk=user.pk), user.phone_codes)
    if code is None:
        return
    # After the commit: a real gateway is a network call.
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    send_sms(
        user.username,
        f"Chợ OCOP An Giang: mã đặt lại mật khẩu của bạn là {code}. "
        f"Mã hết hạn sau {minutes} phút. Đừng đưa mã này cho ai.",
    )


def code_expired() -> DomainError:
    return DomainError(
        ProducerError.CODE_EXPIRED,
        gettext("Mã đã hết hạn, đã được dùng hoặc đã nhập sai quá nhiều lần. Hãy xin mã mới."),
        "code",
    )


def try_code(codes, code: str):
    """Count one try against the newest live code of `codes`; committed even when wrong.

    Returns the matching code row (not yet spent), or raises code_expired() / CODE_WRONG.
    """
    with transaction.atomic():
        live = (
            codes.select_for_update()
            .filter(used_at=None, expires_at__gt=timezone.now())
            .filter(attempts__lt=MAX_CODE_ATTEMPTS)
            .order_by("-created_at")
            .first()
        )
        if live is None:
            raise code_expired()
        live.attempts += 1
        live.save(update_fields=["attempts"])
    if not constant_time_compare(live.code_hash, _code_hash((code or "").strip())):
        left = MAX_CODE_ATTEMPTS - live.attempts
        if left <= 0:
            raise code_expired()
        raise DomainError(
            ProducerError.CODE_WRONG,
            gettext("Mã không đúng. Còn %(left)s lần thử cho mã này.") % {"left": left},
            "code",
        )
    return live


def _try_code(phone: str, code: str) -> tuple[PhoneCode | None, DomainError | None]:
    user = _phone_user(phone)
    if user is None:
        return None, code_expired()
    try:
        return try_code(PhoneCode.objects.filter(user=user), code), None
    except DomainError as exc:
        return None, exc


def reset_password_with_code(phone: str, code: str, password: str):
    """Set a new password when `code` is the account's live code; returns the user.

    A wrong code changes nothing but the try count; a weak password keeps the code usable.
    """
    live, error = _try_code(phone, code)
    if error is not None:
        raise error
    with transaction.atomic():
        live = PhoneCode.objects.select_for_update().select_related("user").get(pk=live.pk)
        if live.used_at is not None:
            raise code_expired()
        user = live.user
        user.set_password(_validated(password, user))
        user.save(update_fields=["password"])
        live.used_at = timezone.now()
        live.save(update_fields=["used_at"])
    return user
