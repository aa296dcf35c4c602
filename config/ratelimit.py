"""Per-client rate limits on the public endpoints that cost us or attract abuse.

Fixed one-window counters in Django's cache, keyed by client address. With the default
per-process memory cache each worker counts on its own, so the effective limit is the limit
times the number of workers; point CACHES at a shared cache to make it exact.
"""

import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Rule:
    name: str
    path: re.Pattern
    methods: frozenset[str]
    limit: int
    window_s: int


RULES = (
    Rule("graphql", re.compile(r"^/graphql/?$"), frozenset({"POST"}), 300, 60),
    Rule("suggest", re.compile(r"^/search/suggest"), frozenset({"GET"}), 120, 60),
    Rule("scan", re.compile(r"^/01/"), frozenset({"GET"}), 120, 60),
    Rule("login", re.compile(r"^/(portal|office)/dang-nhap/?$"), frozenset({"POST"}), 10, 300),
    # The email link and the SMS code requests (each SMS costs money and reaches a person).
    Rule(
        "password-reset",
        re.compile(r"^/portal/quen-mat-khau/(dien-thoai/)?$"),
        frozenset({"POST"}),
        5,
        900,
    ),
    # Code tries also count per code (producers.onetime); this bounds one client's guessing.
    Rule(
        "reset-code", re.compile(r"^/portal/quen-mat-khau/nhap-ma/?$"), frozenset({"POST"}), 20, 900
    ),
    Rule("set-password-link", re.compile(r"^/portal/kich-hoat/"), frozenset({"POST"}), 10, 300),
    Rule("report-fake", re.compile(r"^/truy-xuat/bao-gia-mao"), frozenset({"POST"}), 5, 600),
    Rule("order-lookup", re.compile(r"^/don-hang/tra-cuu/?$"), frozenset({"POST"}), 10, 300),
)


def client_address(request) -> str:
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def over_limit(rule: Rule, address: str) -> int | None:
    """Count this request; return the seconds to wait when the client is over the limit."""
    now = int(time.time())
    window = now // rule.window_s
    key = f"ratelimit:{rule.name}:{address}:{window}"
    cache.add(key, 0, timeout=rule.window_s + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this one as the first
        cache.set(key, 1, timeout=rule.window_s + 1)
        count = 1
    if count > rule.limit:
        return (window + 1) * rule.window_s - now
    return None


def _refusal(request, rule: Rule, retry_after: int) -> HttpResponse:
    message = _("Bạn thao tác quá nhanh. Vui lòng thử lại sau %(s)s giây.") % {"s": retry_after}
    if rule.name in ("graphql", "suggest"):
        response = JsonResponse(
            {"errors": [{"message": message, "extensions": {"code": "RATE_LIMITED"}}]},
            status=429,
        )
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.RATE_LIMITS_ENABLED:
            for rule in RULES:
                if request.method in rule.methods and rule.path.match(request.path_info):
                    retry_after = over_limit(rule, client_address(request))
                    if retry_after is not None:
                        return _refusal(request, rule, retry_after)
                    break
        return self.get_response(request)
