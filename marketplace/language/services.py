"""Which language a person reads: their stored choice, else the site's default (Vietnamese).

Pages follow the request (cookie, Accept-Language, or the signed-in user's choice, see
middleware.py); messages sent later (email, SMS) follow the recipient, read here.
"""

from django.conf import settings
from django.utils import translation

from marketplace.access import OWNER_ROLE
from marketplace.language.models import LanguagePreference

SUPPORTED = frozenset(code for code, _name in settings.LANGUAGES)
# The signed-in user's choice, copied into the session at sign-in so pages need no query.
SESSION_KEY = "user_language"


def supported(code: str | None) -> str | None:
    """The language code if the site offers it ("en-us" counts as "en"), else None."""
    if not code:
        return None
    code = code.strip().lower()
    if code in SUPPORTED:
        return code
    base = code.split("-")[0]
    return base if base in SUPPORTED else None


def preferred_language(user) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    return LanguagePreference.objects.filter(user=user).values_list("language", flat=True).first()


def remember(user, code: str) -> str:
    """Store `code` as the user's language; raises ValueError for a language not offered."""
    language = supported(code)
    if language is None:
        raise ValueError(f"unsupported language {code!r}")
    LanguagePreference.objects.update_or_create(user=user, defaults={"language": language})
    return language


def language_of(user) -> str:
    """What to write to this user in: their choice, else the site's default."""
    return preferred_language(user) or settings.LANGUAGE_CODE


def language_of_producer(producer) -> str:
    """A producer reads what its owner chose (the first owner, when several chose)."""
    chosen = (
        LanguagePreference.objects.filter(
            user__memberships__producer=producer, user__memberships__role=OWNER_ROLE
        )
        .order_by("user__memberships__pk")
        .values_list("language", flat=True)
        .first()
    )
    return chosen or settings.LANGUAGE_CODE


def localized_name(obj) -> str:
    """OCOP groups and sets carry an English name beside the Vietnamese one."""
    if current_language() == "en" and getattr(obj, "name_en", ""):
        return obj.name_en
    return obj.name


def current_language() -> str:
    """The language of the request being served (to record with what it creates)."""
    return supported(translation.get_language()) or settings.LANGUAGE_CODE
