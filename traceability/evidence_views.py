"""Opening a piece of trace evidence: the access policy first, then a short-lived signed link.

Evidence lives in the private storage (marketplace.storage): no page links to the file itself,
only to this view, which hands out a link that expires after SIGNED_URL_SECONDS.
"""

from django.http import Http404, HttpResponseRedirect
from django.views.decorators.http import require_safe

from marketplace.access import public
from marketplace.storage import signed_url
from traceability.selectors import visible_attachment


@require_safe
@public("evidence shown on a lot's public trace page; others' hidden evidence answers 404")
def open_evidence(request, pk: int):
    attachment = visible_attachment(request.user, pk)
    if attachment is None:
        raise Http404
    response = HttpResponseRedirect(signed_url(attachment.file.name))
    # The link expires: neither the browser nor a proxy may keep this redirect.
    response["Cache-Control"] = "private, no-store"
    return response
