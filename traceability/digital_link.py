"""GS1 Digital Link URIs: https://{TRACE_DOMAIN}/01/{gtin14}/10/{lot}[/21/{serial}].

Lot and serial are percent-encoded as the GS1 Digital Link standard asks (every character
outside the URI 'unreserved' set), so any GS1 CSET 82 character survives the trip.
"""

from urllib.parse import quote

from django.conf import settings

from marketplace.catalog import gtin as gtin_rules


def _segment(value: str) -> str:
    return quote(value, safe="")


def uri(gtin: str, lot: str, serial: str | None = None, *, domain: str | None = None) -> str:
    path = f"/01/{gtin_rules.to_gtin14(gtin)}/10/{_segment(lot)}"
    if serial:
        path += f"/21/{_segment(serial)}"
    return f"https://{domain or settings.TRACE_DOMAIN}{path}"


def uri_for(batch, serial: str | None = None) -> str:
    return uri(batch.product.gtin, batch.lot, serial)


def path_for(batch, serial: str | None = None) -> str:
    """The same link on this site (for pages and tests that run on another host)."""
    full = uri_for(batch, serial)
    return full[full.index("/01/") :]
