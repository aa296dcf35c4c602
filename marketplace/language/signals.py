"""At sign-in the user's stored language is applied; a first explicit choice is kept."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from marketplace.language import services


@receiver(user_logged_in, dispatch_uid="language-on-sign-in")
def apply_language_on_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    language = services.preferred_language(user)
    if language is None:
        # Someone who picked a language before ever signing in keeps it from now on.
        chosen = services.supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if chosen is None:
            return
        language = services.remember(user, chosen)
    request.session[services.SESSION_KEY] = language
