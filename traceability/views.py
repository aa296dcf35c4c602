"""The GS1 Digital Link resolver: a lot's consumer trace page, or its EPCIS 2.0 JSON-LD."""

from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from config.guards import requires
from config.ratelimit import rate_limited
from marketplace.access import Permission, public
from marketplace.errors import DomainError
from traceability import (
    digital_link,
    epcis,
    integrity,
    labels,
    resolver,
    resolver_http,
    scans,
    verification,
)
from traceability.models import GS1_CSET82, Batch
from traceability.selectors import find_batch, gtin14, is_genuine_serial, local_time
from traceability.verification import Trace

JSON_LD = "application/ld+json"


def _wants_json_ld(request) -> bool:
    accept = request.headers.get("Accept", "")
    return JSON_LD in accept or "application/json" in accept.split(",")[0]


def _problem(request, status: int, kind: str, **context):
    response = render(
        request, "traceability/problem.html", {"kind": kind, **context}, status=status
    )
    patch_vary_headers(response, ["Accept", "Accept-Language"])
    return response


def _valid_code(value: str) -> bool:
    try:
        GS1_CSET82(value)
    except ValidationError:
        return False
    return True


def _method_answer(request):
    if request.method == "OPTIONS":
        return resolver_http.finish(request, resolver_http.preflight())
    if request.method not in resolver_http.ALLOWED:
        return resolver_http.finish(request, HttpResponseNotAllowed(resolver_http.ALLOWED))
    return None


@rate_limited("scan", methods=("GET", "HEAD", "POST"))
@public("GS1 Digital Link resolver: what the QR code on a package shows anyone")
def resolve(request, rest: str):
    """Every URI under /01/: the GTIN, its lot and serial, or a partially compressed tail."""
    if (early := _method_answer(request)) is not None:
        return early
    try:
        dl = resolver_http.parse_path(rest)
    except resolver_http.Malformed as exc:
        return _malformed(request, exc)
    return _answer(request, dl)


@rate_limited("scan", methods=("GET", "HEAD", "POST"))
@public("GS1 Digital Link resolver: what the QR code on a package shows anyone")
def resolve_compressed(request, segment: str):
    """A fully compressed Digital Link (/ARHKVAdpQg): answered in place, never redirected."""
    if (early := _method_answer(request)) is not None:
        return early
    try:
        dl = resolver_http.parse_compressed(segment)
    except resolver_http.Malformed as exc:
        if exc.kind == "not_compressed":
            raise Http404 from exc  # any other short word at the root is simply not found
        return _malformed(request, exc)
    return _answer(request, dl)


def _malformed(request, exc):
    with _language(request):
        kind = "bad_gtin" if exc.kind == "bad_gtin" else "malformed"
        return resolver_http.finish(
            request, _problem(request, 400, kind, message=exc.message, gtin=exc.gtin)
        )


def _language(request):
    lang = request.GET.get("lang")
    return translation.override(lang if lang in ("vi", "en") else translation.get_language())


def _answer(request, dl):
    with _language(request):
        return resolver_http.finish(request, _respond(request, dl), dl)


def _respond(request, dl):
    batch = find_batch(dl.gtin, dl.lot) if dl.lot is not None else None
    product = batch.product if batch else resolver.find_product(dl.gtin)
    if product is None:
        return _problem(request, 404, "unknown_gtin", gtin=dl.gtin)
    dl.known = True
    requested = request.GET.get("linkType")
    if batch is not None and requested is None and not resolver_http.wants_linkset(request):
        return _lot_answer(request, batch, dl.serial)  # the consumer's page: no links built
    base = resolver_http.base_url(request)
    if dl.lot is None:
        answer = resolver.answer_for_product(product, base)
    else:
        answer = resolver.answer_for_lot(product, batch, dl.lot, dl.serial, base)
    language = translation.get_language()
    if requested is not None:
        kind = resolver.link_type(requested)
        if kind == resolver.LINKSET:
            return resolver_http.linkset_response(answer, language)
        link = answer.find(kind, language) if kind else None
        if link is None:
            return _problem(request, 404, "no_link", gtin=dl.gtin, lot=dl.lot, link_type=requested)
        return resolver_http.redirect(request, link.href)
    if resolver_http.wants_linkset(request):
        return resolver_http.linkset_response(answer, language)
    if answer.unknown_lot is not None:
        return _walk_up(request, answer)
    return resolver_http.redirect(request, answer.default.href)


def _walk_up(request, answer):
    """An unknown lot of a known product: the product's answer, saying the lot is not known."""
    product = answer.product
    image = product.images.order_by("position", "id").first()
    return _problem(
        request,
        404,
        "unknown_lot",
        gtin=gtin14(product),
        lot=answer.unknown_lot,
        product=product,
        product_link=answer.default,
        thumb=image.thumbnail_url(320, "webp") if image else "",
    )


def _lot_answer(request, batch, serial):
    wants_json_ld = _wants_json_ld(request)
    scan = None
    if request.method == "GET" and not wants_json_ld:  # a person scanning, not a machine
        scan = scans.record_scan(batch, serial, scans.origin_from(request.META))
    gtin, lot = gtin14(batch.product), batch.lot
    if serial is not None and not is_genuine_serial(batch, serial):
        return _problem(request, 404, "not_genuine", gtin=gtin, lot=lot, serial=serial)
    trace = verification.trace(batch)
    if wants_json_ld:
        response = _json_ld(trace)
    else:
        context = _page_context(trace, serial)
        context["warnings"] = scans.warnings_for(batch, scan.unit if scan else None)
        response = render(request, "traceability/trace.html", context)
    patch_vary_headers(response, ["Accept", "Accept-Language"])
    return response


def _json_ld(trace):
    return JsonResponse(
        epcis.document(trace, integrity.of(trace).as_json()),
        content_type=JSON_LD,
        json_dumps_params={"ensure_ascii": False},
    )


@resolver_http.cors
@public("a lot's public events, as the trace page shows them")
def epcis_document(request, gtin: str, lot: str):
    """A lot's EPCIS 2.0 JSON-LD at its own URL: the target of the lot's gs1:epcis link."""
    try:
        batch = find_batch(gtin, lot) if _valid_code(lot) else None
    except DomainError:
        batch = None
    if batch is None:
        return JsonResponse({"error": "not found"}, status=404)
    return _json_ld(verification.trace(batch))


@resolver_http.cors
@public("the resolver's public description (GS1 resolver standard)")
def resolver_description(request):
    """/.well-known/gs1resolver: what this GS1-Conformant resolver supports."""
    return JsonResponse(
        resolver.description(resolver_http.base_url(request)),
        json_dumps_params={"ensure_ascii": False},
    )


def _page_context(trace: Trace, serial: str | None) -> dict:
    batch = trace.batch
    product = batch.product
    certificate = product.certificate
    today = timezone.localdate()
    corrected = trace.corrected_ids
    image = product.images.order_by("position", "id").first()
    return {
        "trace": trace,
        "integrity": integrity.of(trace),
        "batch": batch,
        "product": product,
        "producer": product.producer,
        "image": image,
        "thumb": image.thumbnail_url(320, "webp") if image else "",
        "certificate": certificate,
        "certificate_valid": certificate.is_valid_on(today) if certificate else False,
        "expired": bool(batch.best_before and batch.best_before < today),
        "serial": serial,
        "gtin14": gtin14(product),
        "link": digital_link.uri_for(batch, serial),
        "steps": [
            {"event": e, "corrected": e.pk in corrected, "time": local_time(e)}
            for e in trace.timeline
        ],
    }


def _member_batch(request, pk: int):
    batch = Batch.objects.for_member(request.user).select_related("product").filter(pk=pk).first()
    if batch is None:
        raise Http404  # another producer's lot looks exactly like a missing one
    return batch


@requires(Permission.SIGNED_IN)  # then only the user's own lots (404 otherwise)
def label_png(request, pk: int):
    """One label; for a serialised lot, `?serial=` picks the unit (must be one of its own)."""
    batch = _member_batch(request, pk)
    serial = request.GET.get("serial") or None
    if batch.serialised and not (serial and is_genuine_serial(batch, serial)):
        return HttpResponseBadRequest("serial?")
    return HttpResponse(labels.label_png(batch, serial), content_type="image/png")


@requires(Permission.SIGNED_IN)  # then only the user's own lots (404 otherwise)
def label_sheet(request, pk: int):
    """A4 PDF: every serial of a serialised lot, or a sheet of identical lot labels."""
    batch = _member_batch(request, pk)
    serials = (
        list(batch.unit_serials.order_by("id").values_list("serial", flat=True))
        if batch.serialised
        else None
    )
    response = HttpResponse(labels.sheet_pdf(batch, serials), content_type="application/pdf")
    # The lot is the producer's text: the header is built by Django, which quotes it.
    response["Content-Disposition"] = content_disposition_header(False, f"nhan-{batch.lot}.pdf")
    return response


@rate_limited("report-fake")
@require_POST
@public("consumers report suspected fakes without an account (rate-limited)")
def report_fake(request):
    """The "report a suspected fake" form on trace pages; no account needed."""
    form = request.POST
    gtin, lot = form.get("gtin", "")[:14], form.get("lot", "")[:20]
    try:
        batch = find_batch(gtin, lot) if _valid_code(lot) else None
    except DomainError:
        batch = None
    data = scans.ReportData(
        gtin=gtin,
        lot=lot,
        serial=form.get("serial", ""),
        where_bought=form.get("where_bought", ""),
        message=form.get("message", ""),
        contact=form.get("contact", ""),
    )
    try:
        scans.report_suspect(data, batch)
    except DomainError as exc:
        return _problem(request, 400, "report_invalid", message=exc.message, gtin=gtin, lot=lot)
    return _problem(request, 200, "reported", gtin=gtin, lot=lot)
