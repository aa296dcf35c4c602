"""GS1 Digital Link URIs: {base}/01/{gtin14}/10/{lot}[/21/{serial}].

The base is https://{TRACE_DOMAIN} when a separate trace host is configured, else SITE_URL's
origin (scheme and port kept), so the QR codes of a local `make run` open on that server.

Lot and serial are percent-encoded as the GS1 Digital Link standard asks (every character
outside the URI 'unreserved' set), so any GS1 CSET 82 character survives the trip.
"""

from urllib.parse import quote, urlsplit

from django.conf import settings

from marketplace.catalog import gtin as gtin_rules


def _segment(value: str) -> str:
    return quote(value, safe="")


def base_url() -> str:
    site = urlsplit(settings.SITE_URL)
    if settings.TRACE_DOMAIN and settings.TRACE_DOMAIN != site.netloc:
        return f"https://{settings.TRACE_DOMAIN}"
    return f"{site.scheme}://{site.netloc}"


def uri(gtin: str, lot: str, serial: str | None = None, *, domain: str | None = None) -> str:
    path = f"/01/{gtin_rules.to_gtin14(gtin)}/10/{_segment(lot)}"
    if serial:
        path += f"/21/{_segment(serial)}"
    return (f"https://{domain}" if domain else base_url()) + path


def uri_for(batch, serial: str | None = None) -> str:
    return uri(batch.product.gtin, batch.lot, serial)


def path_for(batch, serial: str | None = None) -> str:
    """The same link on this site (for pages and tests that run on another host)."""
    full = uri_for(batch, serial)
    return full[full.index("/01/") :]
