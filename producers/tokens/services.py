"""Making, checking and revoking API tokens; `Authorization: Bearer` goes through `authenticate`.

A token is `ocop_<prefix>_<secret>`: the prefix finds the row, the SHA-256 of the whole token
is compared in constant time. A request with a token runs as the producer's API account, an
owner member of that producer, so every producer-scoped query scopes it with no new code.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace import access
from marketplace.access import Permission
from marketplace.errors import DomainError
from marketplace.text import nfc
from producers.errors import ProducerError
from producers.models import MemberRole, Membership, Producer
from producers.tokens.models import ApiToken

PREFIX = "ocop_"
# Writing last_used_at on every request would turn each read into a write.
LAST_USED_PRECISION = 60  # seconds


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the full token, shown once


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _api_user(producer: Producer):
    """The producer's API account: no password, no phone, an owner member of that producer."""
    User = get_user_model()
    username = f"api-{producer.code}".lower()[:150]
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": f"API {producer.name}"[:150]}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(
        user=user, producer=producer, defaults={"role": MemberRole.OWNER}
    )
    return user


@transaction.atomic
def create_token(producer: Producer, name: str, *, created_by=None) -> NewToken:
    """A new token for `producer`; `created_by` (None from the command line) must own it."""
    if created_by is not None:
        access.require(created_by, Permission.OWN_PRODUCER, producer)
    name = nfc(name or "").strip()[:80] or "API"
    prefix = secrets.token_hex(4)
    secret = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        producer=producer,
        user=_api_user(producer),
        name=name,
        prefix=prefix,
        secret_hash=_digest(secret),
        created_by=created_by,
    )
    return NewToken(token=token, secret=secret)


def tokens_for(user, producer: Producer):
    access.require(user, Permission.OWN_PRODUCER, producer)
    return producer.api_tokens.select_related("created_by").order_by("-created_at")


@transaction.atomic
def revoke_token(user, producer: Producer, token_id: int) -> ApiToken:
    access.require(user, Permission.OWN_PRODUCER, producer)
    token = producer.api_tokens.select_for_update().filter(pk=token_id).first()
    if token is None:
        raise DomainError(ProducerError.NOT_FOUND, gettext("Không tìm thấy mã API này."), "token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate(secret: str) -> ApiToken | None:
    """The live token this secret is, or None (unknown, malformed or revoked)."""
    secret = secret.strip()
    if not secret.startswith(PREFIX):
        return None
    prefix = secret[len(PREFIX) :].split("_", 1)[0]
    token = ApiToken.objects.select_related("user", "producer").filter(prefix=prefix).first()
    if token is None or token.revoked_at is not None:
        return None
    if not hmac.compare_digest(token.secret_hash, _digest(secret)):
        return None
    now = timezone.now()
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > LAST_USED_PRECISION
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
