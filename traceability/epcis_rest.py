"""The EPCIS 2.0 REST subset producers' other systems need (EPCIS 2.0 §12, OpenAPI binding).

POST /epcis/capture: an EPCISDocument, with a producer's `Authorization: Bearer` token →
202 and `Location: /epcis/capture/{captureID}`. GET /epcis/capture/{id}: that capture job.
GET /epcis/events: public, what the trace pages show, filtered by EQ_bizStep, MATCH_epc,
MATCH_epcClass, GE_eventTime, LT_eventTime; paged by perPage and nextPageToken with a
`Link: <…>; rel="next"` header.
"""

import base64
import datetime
import json
from urllib.parse import unquote, urlencode

from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from marketplace.access import public
from marketplace.errors import DomainError
from traceability import capture, chain, epcis, vocab
from traceability.models import CaptureJob, Event, Unit
from traceability.selectors import gtin14, parse_gtin

MAX_BODY = 2 * 1024 * 1024
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100
QUERY_PARAMS = {
    "EQ_bizStep",
    "MATCH_epc",
    "MATCH_epcClass",
    "GE_eventTime",
    "LT_eventTime",
    "perPage",
    "nextPageToken",
}
_HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}


def _json(data, status=200, **headers) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in {**_HEADERS, **headers}.items():
        response[name] = value
    return response


def _problem(status: int, kind: str, detail: str) -> JsonResponse:
    """RFC 7807 problem details with the EPCIS exception types."""
    response = _json(
        {"type": f"epcisException:{kind}", "title": kind, "status": status, "detail": detail},
        status=status,
    )
    response["Content-Type"] = "application/problem+json"
    return response


def _job_json(job: CaptureJob) -> dict:
    return {
        "captureID": job.capture_id,
        "createdAt": job.created_at.isoformat(),
        "finishedAt": job.finished_at.isoformat(),
        "running": False,
        "success": job.success,
        "captureErrorBehaviour": "rollback",
        "eventsCaptured": job.events,
        "errors": job.errors,
    }


def _token(request):
    return getattr(request, "api_token", None)


# Bearer requests skip CSRF in the token middleware; this view accepts nothing else.
@csrf_exempt
@require_http_methods(["POST"])
@public("authenticated by its own API token (Bearer), 401 without one")
def capture_view(request):
    token = _token(request)
    if token is None:
        response = _problem(401, "SecurityException", "Cần Authorization: Bearer <mã API>.")
        response["WWW-Authenticate"] = 'Bearer realm="ocop"'
        return response
    if request.content_type not in ("application/json", "application/ld+json"):
        return _problem(
            415, "ValidationException", "Gửi application/ld+json hoặc application/json."
        )
    if len(request.body) > MAX_BODY:
        return _problem(413, "CaptureLimitExceededException", "Tài liệu lớn hơn 2 MB.")
    try:
        document = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _problem(400, "ValidationException", "Không phải JSON.")
    errors = capture.schema_errors(document)
    if errors:
        return _problem(400, "ValidationException", "; ".join(errors))
    job = capture.capture(token.user, token.producer, document)
    location = reverse("traceability:epcis_capture_job", args=[job.capture_id])
    return _json(_job_json(job), status=202, Location=location)


@require_GET
@public("authenticated by its own API token (Bearer), 401 without one")
def capture_job_view(request, capture_id: str):
    """A capture job, for the producer whose token made it (anyone else: 404)."""
    token = _token(request)
    if token is None:
        return _problem(401, "SecurityException", "Cần Authorization: Bearer <mã API>.")
    job = CaptureJob.objects.filter(capture_id=capture_id, producer=token.producer).first()
    if job is None:
        return _problem(404, "NoSuchResourceException", "Không có lần nhận này.")
    return _json(_job_json(job))


# ---------------------------------------------------------------- query


def _time(value: str, name: str) -> datetime.datetime:
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{name}: '{value}' không phải thời điểm ISO 8601")
    if timezone.is_naive(moment):
        raise ValueError(f"{name}: cần múi giờ")
    return moment


def _lot_filter(uri: str, *, serial_allowed: bool) -> Q:
    """A Digital Link URI → the lots it names (GTIN-only: every lot of that GTIN)."""
    parts = unquote(uri).removeprefix("https://id.gs1.org/").strip("/").split("/")
    if not uri.startswith("https://id.gs1.org/01/") or len(parts) not in (2, 4, 6):
        raise ValueError(f"'{uri}' không phải URI GS1 Digital Link https://id.gs1.org/01/…")
    gtin = parse_gtin(parts[1]).removeprefix("0")
    query = Q(batch__product__gtin=gtin)
    if len(parts) >= 4:
        if parts[2] != "10":
            raise ValueError(f"'{uri}': sau GTIN phải là /10/{{lô}}")
        query &= Q(batch__lot=parts[3])
    if len(parts) == 6:
        if not serial_allowed or parts[4] != "21":
            raise ValueError(f"'{uri}': MATCH_epc nhận /21/{{số sê-ri}} của một sản phẩm")
        units = Unit.objects.filter(serial=parts[5], batch__lot=parts[3], batch__product__gtin=gtin)
        query &= Q(batch__unit_serials__in=units)
    elif serial_allowed:
        raise ValueError(f"'{uri}': MATCH_epc cần một sản phẩm có số sê-ri (…/21/…)")
    return query


def _filters(params) -> Q:
    query = Q()
    if "EQ_bizStep" in params:
        steps = [
            s.removeprefix(vocab.CBV_BIZSTEP_URI) for s in params["EQ_bizStep"].split("|") if s
        ]
        query &= Q(biz_step__in=steps)
    for name, serial in (("MATCH_epcClass", False), ("MATCH_epc", True)):
        if name in params:
            any_of = Q()
            for uri in params[name].split("|"):
                any_of |= _lot_filter(uri, serial_allowed=serial)
            query &= any_of
    if "GE_eventTime" in params:
        query &= Q(event_time__gte=_time(params["GE_eventTime"], "GE_eventTime"))
    if "LT_eventTime" in params:
        query &= Q(event_time__lt=_time(params["LT_eventTime"], "LT_eventTime"))
    return query


def _page_token(event: Event) -> str:
    raw = json.dumps([event.event_time.isoformat(), event.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _after(token: str) -> Q:
    try:
        moment, pk = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        moment = datetime.datetime.fromisoformat(moment)
        pk = int(pk)
    except (ValueError, TypeError):
        raise ValueError("nextPageToken không hợp lệ")
    return Q(event_time__gt=moment) | Q(event_time=moment, pk__gt=pk)


def _published(events: list[Event]) -> list[dict]:
    originals = [e.declares_error_on_id for e in events if e.declares_error_on_id]
    corrections: dict[int, list[str]] = {}
    for corrects_id, event_id in Event.objects.filter(corrects_id__in=originals).values_list(
        "corrects_id", "event_id"
    ):
        corrections.setdefault(corrects_id, []).append(event_id)
    return [
        epcis.published_event(
            e,
            gtin=gtin14(e.batch.product),
            lot=e.batch.lot,
            corrections=corrections,
        )
        for e in events
    ]


@require_GET
@public("the EPCIS query returns only what the public trace pages show")
def events_view(request):
    params = request.GET
    unknown = sorted(set(params) - QUERY_PARAMS)
    if unknown:
        return _problem(400, "QueryParameterException", f"Không hỗ trợ: {', '.join(unknown)}")
    try:
        per_page = int(params.get("perPage", DEFAULT_PER_PAGE))
        if not 1 <= per_page <= MAX_PER_PAGE:
            raise ValueError(f"perPage từ 1 đến {MAX_PER_PAGE}")
        query = _filters(params)
        if params.get("nextPageToken"):
            query &= _after(params["nextPageToken"])
    except ValueError as exc:
        return _problem(400, "QueryParameterException", str(exc))
    except DomainError as exc:
        return _problem(400, "QueryParameterException", exc.message)
    rows = list(
        Event.objects.filter(query)
        .distinct()
        .order_by("event_time", "pk")
        .select_related("batch__product", "corrects", "declares_error_on")
        .prefetch_related("attachments")[: per_page + 1]
    )
    page, more = rows[:per_page], len(rows) > per_page
    document = {
        "@context": chain.CONTEXT,
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": epcis.utc_text(timezone.now()),
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": _published(page)},
            }
        },
    }
    headers = {}
    if more:
        following = {k: v for k, v in params.items() if k != "nextPageToken"}
        following["nextPageToken"] = _page_token(page[-1])
        url = request.build_absolute_uri(f"{request.path}?{urlencode(following)}")
        headers["Link"] = f'<{url}>; rel="next"'
    return _json(document, **headers)
