"""HTTP side of the GS1-Conformant resolver: parsing Digital Link paths, CORS, Link headers,
linkset responses and 307 redirects that pass the query string on.

Every URI placed in a header is rebuilt from validated parts with each lot and serial
percent-encoded, so nothing a request carries reaches a header as it came.
"""

import json
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseRedirectBase
from django.utils.cache import patch_vary_headers

from marketplace.errors import DomainError
from traceability import dl_compression, resolver
from traceability.models import GS1_CSET82
from traceability.selectors import parse_gtin

LINKSET_TYPE = "application/linkset+json"
ALLOWED = ("GET", "HEAD", "OPTIONS")
# The order GS1 Digital Link fixes for a GTIN's key qualifiers.
QUALIFIERS = ("22", "10", "21")


class Malformed(ValueError):
    def __init__(self, kind: str, message: str = "", gtin: str = ""):
        super().__init__(message or kind)
        self.kind, self.message, self.gtin = kind, message, gtin


@dataclass
class DigitalLink:
    gtin: str  # GTIN-14
    lot: str | None = None
    serial: str | None = None
    uncompressed: str | None = None  # set when the request came compressed
    known: bool = False  # the GTIN is ours, so a linkset exists (Link header)

    def path(self) -> str:
        if self.lot is None:
            return f"/01/{self.gtin}"
        uri = resolver.lot_uri("", self.gtin, self.lot)
        return resolver.serial_uri("", self.gtin, self.lot, self.serial) if self.serial else uri


def _code(value: str) -> str:
    try:
        GS1_CSET82(value)
    except ValidationError:
        raise Malformed("malformed") from None
    return value


def _gtin(value: str) -> str:
    try:
        return parse_gtin(value)
    except DomainError as exc:
        raise Malformed("bad_gtin", exc.message, value[:20]) from None


def parse_path(rest: str) -> DigitalLink:
    """`rest` is what follows /01/: {gtin}[/22/{cpv}][/10/{lot}][/21/{serial}][/], or
    {gtin}/{compressed qualifiers}. Anything else is Malformed (HTTP 400)."""
    segments = rest.split("/")
    if len(segments) > 1 and segments[-1] == "":
        segments.pop()  # one trailing slash is tolerated
    if not segments or "" in segments:
        raise Malformed("malformed")
    gtin = _gtin(segments[0])
    tail = segments[1:]
    if len(tail) == 1:
        return _with_compressed_tail(gtin, tail[0])
    if len(tail) % 2:
        raise Malformed("malformed", gtin=gtin)
    values: dict[str, str] = {}
    order = -1
    for ai, value in zip(tail[::2], tail[1::2], strict=True):
        if ai not in QUALIFIERS or QUALIFIERS.index(ai) <= order:
            raise Malformed("malformed", gtin=gtin)
        order = QUALIFIERS.index(ai)
        values[ai] = _code(value)
    return _link(gtin, values)


def _link(gtin: str, values: dict) -> DigitalLink:
    if "21" in values and "10" not in values:
        # A serial identifies a unit within a lot here; without the lot we cannot look it up.
        return DigitalLink(gtin)
    if "22" in values:
        return DigitalLink(gtin)  # no variants are recorded: walk up to the GTIN
    return DigitalLink(gtin, values.get("10"), values.get("21"))


def _decoded(segment: str) -> dl_compression.Decompressed:
    try:
        return dl_compression.decompress_segment(segment)
    except dl_compression.CompressionError as exc:
        raise Malformed("not_compressed", str(exc)) from None


def _with_compressed_tail(gtin: str, segment: str) -> DigitalLink:
    try:
        data = _decoded(segment)
    except Malformed:
        raise Malformed("malformed", gtin=gtin) from None
    if "01" in data.elements:
        raise Malformed("malformed", gtin=gtin)
    link = _link(gtin, {ai: _code(v) for ai, v in data.elements.items() if ai in QUALIFIERS})
    link.uncompressed = link.path()
    return link


def parse_compressed(segment: str) -> DigitalLink:
    """A fully compressed URI's one path segment; `not_compressed` when it is not one."""
    data = _decoded(segment)
    gtin = data.elements.get("01")
    if gtin is None:
        raise Malformed("not_compressed", "no GTIN")
    gtin = _gtin(gtin)
    link = _link(gtin, {ai: _code(v) for ai, v in data.elements.items() if ai in QUALIFIERS})
    link.uncompressed = link.path()
    return link


def base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def wants_linkset(request) -> bool:
    return LINKSET_TYPE in request.headers.get("Accept", "")


class HttpResponseTemporaryRedirect(HttpResponseRedirectBase):
    status_code = 307


def redirect(request, href: str) -> HttpResponse:
    """307 to `href` with the request's query string passed on (less the linkType asked)."""
    passed = [(k, v) for k, values in request.GET.lists() if k != "linkType" for v in values]
    if passed:
        href += ("&" if "?" in href else "?") + urlencode(passed)
    return HttpResponseTemporaryRedirect(href)


def linkset_response(answer, language: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(answer.linkset(language), ensure_ascii=False), content_type=LINKSET_TYPE
    )
    response["Content-Language"] = language
    return response


def preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = ", ".join(ALLOWED)
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    response["Allow"] = ", ".join(ALLOWED)
    return response


def finish(request, response: HttpResponse, dl: DigitalLink | None = None) -> HttpResponse:
    """CORS on every answer; `Link` to the linkset (and the uncompressed URI) when known."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "Link, Location, Content-Type, Content-Language"
    links = []
    if dl is not None:
        base = base_url(request)
        if dl.known:
            links.append(
                f'<{base}{dl.path()}?linkType=linkset>; rel="linkset"; type="{LINKSET_TYPE}"'
            )
            if response.get("Content-Type", "").startswith(LINKSET_TYPE):
                links.append(
                    f'<{resolver.LINKSET_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; '
                    'type="application/ld+json"'
                )
        if dl.uncompressed is not None:
            links.append(f'<{base}{dl.uncompressed}>; rel="owl:sameAs"')
    if links:
        response["Link"] = ", ".join(links)
    patch_vary_headers(response, ["Accept", "Accept-Language"])
    if request.method == "HEAD" and not response.streaming:
        # Whatever server runs us: headers as for GET (length included), no body.
        length = len(response.content)
        response.content = b""
        response["Content-Length"] = str(length)
    return response


def cors(view):
    """GET/HEAD/OPTIONS only, answered with CORS headers (resolver JSON documents)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return finish(request, preflight())
        if request.method not in ("GET", "HEAD"):
            return finish(request, HttpResponseNotAllowed(ALLOWED))
        return finish(request, view(request, *args, **kwargs))

    return wrapper
