from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from config.ratelimit import rate_limited
from marketplace.access import public
from marketplace.language import services


@public("anyone may choose the language they read")
@require_POST
@rate_limited("language")
def switch_language(request):
    """Django's set_language (cookie, safe `next`), and for a signed-in user the stored choice."""
    response = set_language(request)
    language = services.supported(request.POST.get("language"))
    if language and request.user.is_authenticated:
        services.remember(request.user, language)
        request.session[services.SESSION_KEY] = language
    return response
