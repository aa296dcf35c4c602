"""Read replicas: read-only requests read from a replica, everything else from the primary.

`DATABASE_REPLICA_URLS` adds one database alias per replica (`replica_1`, `replica_2`, …).
A request may read from a replica only when it cannot have written: GET/HEAD/OPTIONS pages and
GraphQL queries (config/graphql_transactions.py opens the scope for them). Everything else —
POSTs, mutations, management commands, Celery tasks, any read inside a transaction, and any
read after the request has written — reads from the primary.

Read-your-writes: a request that writes (or any POST, PUT, PATCH, DELETE) answers with the pin
cookie, and for REPLICA_PIN_SECONDS afterwards that browser or client reads from the primary,
so replica lag never hides the order a shopper has just placed. Clients without cookies can
send the `X-Read-Primary: 1` header for the same effect.

A replica that does not answer is skipped for REPLICA_RETRY_SECONDS (per process) and the
primary answers instead: a replica outage slows pages down, it never breaks them.
"""

import contextlib
import logging
import random
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

log = logging.getLogger(__name__)

PIN_COOKIE = "ocop_primary"
PIN_HEADER = "HTTP_X_READ_PRIMARY"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Scope:
    may_use_replica: bool
    pin: bool = False
    wrote: bool = False
    alias: str | None = None  # the replica chosen for this request, once it first reads


_scope: ContextVar[_Scope | None] = ContextVar("db_read_scope", default=None)
# Replica alias → monotonic time before which it is not tried again.
_down_until: dict[str, float] = {}


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


def _healthy(alias: str) -> bool:
    if _down_until.get(alias, 0.0) > time.monotonic():
        return False
    try:
        connections[alias].ensure_connection()
    except Exception as exc:  # any failure to connect: the primary answers instead
        log.warning("read replica %s unavailable, reading from the primary: %s", alias, exc)
        _down_until[alias] = time.monotonic() + settings.REPLICA_RETRY_SECONDS
        return False
    return True


def _choose_replica() -> str:
    candidates = replica_aliases()
    random.shuffle(candidates)
    return next((alias for alias in candidates if _healthy(alias)), DEFAULT_DB_ALIAS)


class ReplicaRouter:
    """DATABASE_ROUTERS entry: writes and migrations on the primary, scoped reads on a replica."""

    def db_for_read(self, model, **hints):
        scope = _scope.get()
        if (
            scope is None
            or not scope.may_use_replica
            or scope.wrote
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        if scope.alias is None:
            scope.alias = _choose_replica()
        return scope.alias

    def db_for_write(self, model, **hints):
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True  # later reads of this request and its client see the write
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # replicas copy the primary's schema by replication


@contextlib.contextmanager
def read_scope(may_use_replica: bool, pin: bool = False):
    """One request's reads: on a replica while `may_use_replica` and nothing has been written.
    `pin`: the client reads from the primary afterwards even if nothing was written (a POST)."""
    scope = _Scope(may_use_replica=may_use_replica and bool(replica_aliases()), pin=pin)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def read_only_post(request) -> None:
    """This POST only reads (a GraphQL query): a replica may answer it, and it does not pin."""
    scope = _scope.get()
    if scope is not None and not scope.wrote:
        scope.may_use_replica = bool(replica_aliases()) and not getattr(
            request, "reads_pinned", False
        )
        scope.pin = False


def pinned(request) -> bool:
    return bool(request.COOKIES.get(PIN_COOKIE)) or request.META.get(PIN_HEADER) == "1"


class ReadReplicaMiddleware:
    """Opens the request's read scope and pins the client to the primary after it writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        safe = request.method in SAFE_METHODS
        request.reads_pinned = pinned(request)
        with read_scope(safe and not request.reads_pinned, pin=not safe) as scope:
            response = self.get_response(request)
        if scope.wrote or scope.pin:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
