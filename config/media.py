"""Uploaded media served by the app itself (SERVE_MEDIA), and local private files by signed link.

Product photos and their thumbnails are written once under a random name and never
rewritten (a new upload gets a new name), so browsers may keep them for a year
(marketplace.storage.cache_control). Private files (marketplace.storage) are never under /media/:
/media-private/<token> serves one only while its signed token is valid and unaltered.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseForbidden, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe
from django.views.static import serve

from config.ratelimit import limit_exempt
from marketplace.access import public
from marketplace.storage import FOREVER, SHORT, cache_control, name_from_token, private_storage

__all__ = ["FOREVER", "SHORT", "favicon", "serve_media", "serve_private"]


def serve_media(request, path):
    # MEDIA_ROOT read per request, not when the URLconf was imported: settings may change
    # after (the test suite moves media to a folder of its own).
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        response["Cache-Control"] = cache_control(path)
    return response


@limit_exempt("reads one file; the link was handed out after the access policy allowed it")
@require_safe
@public("a signed, short-lived link to a private file: the signature is the permission")
def serve_private(request, token: str):
    """A private file on local disk, as S3 answers a presigned URL: 403 once expired or altered."""
    name = name_from_token(token)
    if name is None:
        return HttpResponseForbidden("link expired or invalid")
    try:
        handle = private_storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle)
    response["Cache-Control"] = "private, no-store"
    return response


@limit_exempt("a redirect to a static file")
@require_safe
@public("the site icon")
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the hashed SVG."""
    return HttpResponsePermanentRedirect(static("storefront/favicon.svg"))
