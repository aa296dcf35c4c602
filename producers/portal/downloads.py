"""Files the portal hands over to be saved (statements, invoices)."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
