"""Per-client rate limits, declared on the views and GraphQL fields they protect.

A view carries its limit (`@rate_limited("order-lookup")`) or says why it needs none
(`@limit_exempt("...")`); tests/config/test_rate_limit_coverage.py walks every URL pattern and
fails on a public POST endpoint with neither, so renaming or moving a URL keeps its limit.

Counting: one fixed-window counter per (limit, client, window) in Django's cache. On Redis
(`REDIS_URL`) each attempt is one INCR with its expiry set in the same transaction, so every
worker on every machine counts into one number and a counter never outlives its window. On
other caches it is `cache.add` then `cache.incr`: exact on Memcached, per process with the
default memory cache (the effective limit is then the limit times the workers; README).
"""

import functools
import hashlib
import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from graphql import GraphQLError

from config.api_errors import ApiError


@dataclass(frozen=True)
class Limit:
    limit: int
    window_s: int


LIMITS: dict[str, Limit] = {
    "api": Limit(300, 60),  # /graphql/, GET and POST
    "suggest": Limit(120, 60),
    "scan": Limit(120, 60),
    "signin": Limit(10, 300),  # every sign-in attempt from one client
    "signin-failed-account": Limit(10, 900),  # config/signin_guard.py
    "signin-failed-client": Limit(20, 900),
    "password-reset": Limit(5, 900),  # each may send an email or an SMS
    "reset-code": Limit(20, 900),  # SMS codes typed in (each code also counts its own tries)
    "set-password-link": Limit(10, 300),
    "report-fake": Limit(5, 600),
    "order-lookup": Limit(10, 300),  # every lookup: the HTML page and each GraphQL `order`
    "invoice-lookup": Limit(30, 300),  # every e-invoice lookup, page or download, by its code
    "cart": Limit(120, 60),
    "checkout": Limit(20, 600),
    "address-help": Limit(60, 60),
    "review": Limit(10, 600),  # each review written (page or reviewCreate)
    "shopper-code": Limit(5, 900),  # each sends an SMS (the phone also has its hourly limit)
    "shopper-signin": Limit(20, 900),  # codes typed in (each code also counts its own tries)
    "shopper": Limit(60, 600),  # a signed-in shopper's own writes: addresses, reorder
    "language": Limit(30, 60),  # each switch may store a signed-in user's choice
}


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        return _("Bạn thao tác quá nhanh. Vui lòng thử lại sau %(s)s giây.") % {
            "s": self.retry_after
        }


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the one the outermost trusted proxy saw.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with N
    trusted proxies in front (REMOTE_ADDR being the last of them) the client is the Nth entry
    from the right. Entries further left were written by the client and prove nothing.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if len(forwarded) < hops:  # did not come through all the proxies: the peer is the client
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _key(name: str, who: str, window: int) -> str:
    # Hashed: account names and addresses become short keys any cache backend accepts.
    digest = hashlib.blake2b(who.encode(), digest_size=12).hexdigest()
    return f"ratelimit:{name}:{digest}:{window}"


def _window(limit: Limit) -> tuple[int, int]:
    now = int(time.time())
    window = now // limit.window_s
    return window, (window + 1) * limit.window_s - now


def _count(key: str, timeout: int) -> int:
    """One more attempt under `key`: the new count, the key expiring `timeout` s after its first."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # Django's incr() checks EXISTS then INCRs: a key expiring in between would come back
        # with no expiry and refuse that client for good. INCR creates the key at 1, EXPIRE NX
        # (Redis 7) sets the window only on a key that has none, both in one MULTI.
        full_key = backend.make_and_validate_key(key)
        client = backend._cache.get_client(full_key, write=True)
        with client.pipeline(transaction=True) as pipe:
            count, _ = pipe.incr(full_key).expire(full_key, timeout, nx=True).execute()
        return count
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        return 1 if cache.add(key, 1, timeout=timeout) else cache.incr(key)


def hit(name: str, who: str) -> None:
    """Count one attempt by `who` against limit `name`; raise RateLimited when over it."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    limit = LIMITS[name]
    window, retry_after = _window(limit)
    count = _count(_key(name, who, window), limit.window_s + 1)
    if count > limit.limit:
        raise RateLimited(max(1, retry_after))


def check(name: str, who: str) -> None:
    """Raise RateLimited if `who` has used up limit `name`, without counting an attempt."""
    if not settings.RATE_LIMITS_ENABLED:
        return
    limit = LIMITS[name]
    window, retry_after = _window(limit)
    if (cache.get(_key(name, who, window)) or 0) >= limit.limit:
        raise RateLimited(max(1, retry_after))


def hit_client(request, name: str) -> None:
    hit(name, client_address(request))


def refusal(request, exc: RateLimited, *, json: bool = False) -> HttpResponse:
    if json:
        body = {"errors": [{"message": exc.message, "extensions": {"code": ApiError.RATE_LIMITED}}]}
        response = JsonResponse(body, status=429)
    else:
        response = HttpResponse(exc.message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(exc.retry_after)
    return response


def rate_limited(name: str, *, methods=("POST",), json: bool = False):
    """Count each request in `methods` against limit `name`, per client; 429 when over it.

    Code under the view that refuses an attempt itself (config/signin_guard.py) stores the
    RateLimited on `request.rate_limited`, and the view's answer becomes the same 429.
    """
    if name not in LIMITS:
        raise KeyError(f"no rate limit named {name!r}")
    methods = frozenset(m.upper() for m in methods)

    def decorate(view):
        @functools.wraps(view)
        def limited(request, *args, **kwargs):
            try:
                if request.method in methods:
                    hit_client(request, name)
                response = view(request, *args, **kwargs)
                refused = getattr(request, "rate_limited", None)
                if refused is not None:
                    raise refused
                return response
            except RateLimited as exc:
                return refusal(request, exc, json=json)

        limited.rate_limits = (*getattr(view, "rate_limits", ()), (name, methods))
        return limited

    return decorate


def limit_exempt(reason: str):
    """Declare that a public endpoint needs no limit, and why (read by the coverage test)."""
    if not reason.strip():
        raise ValueError("say why the endpoint needs no rate limit")

    def decorate(view):
        view.rate_limit_exempt = reason
        return view

    return decorate


def limited_resolver(name: str):
    """A GraphQL resolver whose every call (each alias, GET or POST) counts against `name`."""
    if name not in LIMITS:
        raise KeyError(f"no rate limit named {name!r}")

    def decorate(resolver):
        @functools.wraps(resolver)
        def limited(root, info, *args, **kwargs):
            try:
                hit_client(info.context, name)
            except RateLimited as exc:
                raise GraphQLError(
                    exc.message,
                    extensions={"code": ApiError.RATE_LIMITED, "retryAfter": exc.retry_after},
                )
            return resolver(root, info, *args, **kwargs)

        limited.rate_limits = ((name, frozenset({"QUERY"})),)
        return limited

    return decorate
