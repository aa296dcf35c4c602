"""Uploaded media served by the app itself (SERVE_MEDIA): with cache headers that fit them.

Product photos and their thumbnails are written once under a random name and never
rewritten (a new upload gets a new name), so browsers may keep them for a year. Other uploads
(trace evidence) keep a short cache.
"""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe
from django.views.static import serve

from config.ratelimit import limit_exempt
from marketplace.access import public

FOREVER = "public, max-age=31536000, immutable"
SHORT = "public, max-age=3600"
IMMUTABLE_PREFIXES = ("products/",)


def serve_media(request, path, document_root=None):
    response = serve(request, path, document_root=document_root)
    if response.status_code == 200:
        response["Cache-Control"] = FOREVER if path.startswith(IMMUTABLE_PREFIXES) else SHORT
    return response


@limit_exempt("a redirect to a static file")
@require_safe
@public("the site icon")
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the hashed SVG."""
    return HttpResponsePermanentRedirect(static("storefront/favicon.svg"))
