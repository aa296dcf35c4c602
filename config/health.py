"""Liveness and dependencies at a glance, for load balancers and people."""

from django.db import connection, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.db_router import replica_aliases
from config.errors import RETRY_AFTER_SECONDS
from marketplace.access import public


def _database_status(database=connection) -> str:
    try:
        with database.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "down", reported, not raised
        return "down"
    return database.vendor


def _search_status() -> str:
    # "database", "elasticsearch", or "database (fallback: elasticsearch unreachable)".
    from marketplace.search.services import status

    return status()


@never_cache
@require_GET
@public("health check: says only whether the database, its replicas and search answer")
def healthz(request):
    database = _database_status()
    status = "ok" if database != "down" else "degraded"
    body = {"status": status, "database": database, "search": _search_status()}
    if replicas := replica_aliases():
        # A replica that is down costs speed, not service: the primary answers its reads.
        body["replicas"] = {alias: _database_status(connections[alias]) for alias in replicas}
    response = JsonResponse(body, status=200 if status == "ok" else 503)
    if status != "ok":
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
