"""Outside services for integration tests: skip with a reason when absent, fail under CI.

`REQUIRE_SERVICES=1` (set by .ci/run) turns every such skip into a failure, so a CI run
can never pass by quietly not testing PostgreSQL, the search engine, stripe-mock or Chromium.
A pass that leaves a scale-out service out on purpose (.ci/run's single-node PostgreSQL pass)
names it in `SERVICES_ABSENT` (comma-separated, e.g. `replica`): its tests then skip.
"""

import os

import pytest


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "").strip() in {"1", "true", "yes"}


def absent_by_design(name: str | None) -> bool:
    absent = {n.strip() for n in os.environ.get("SERVICES_ABSENT", "").split(",")}
    return name is not None and name in absent


def need(available: bool, reason: str, name: str | None = None) -> None:
    if available:
        return
    if services_required() and not absent_by_design(name):
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def need_postgres() -> None:
    from django.db import connection

    need(
        connection.vendor == "postgresql",
        f"needs PostgreSQL: set DATABASE_URL=postgres://... (running on {connection.vendor})",
    )


def s3_reachable() -> bool:
    """Whether MEDIA_S3_ENDPOINT answers with the configured keys (both buckets are made)."""
    from django.conf import settings

    if not settings.MEDIA_S3:
        return False
    from tests.s3 import ensure_buckets

    return ensure_buckets(settings.MEDIA_S3)


def need_s3() -> None:
    need(
        s3_reachable(),
        "needs an S3-compatible server: set MEDIA_S3_ENDPOINT, MEDIA_S3_ACCESS_KEY and "
        "MEDIA_S3_SECRET_KEY (.ci/services/s3.sh starts SeaweedFS)",
        "s3",
    )


def need_replica() -> None:
    """A PostgreSQL streaming replica of the test database's server (DATABASE_REPLICA_URLS)."""
    from django.db import connection

    from config.db_router import replica_aliases

    need(
        connection.vendor == "postgresql" and bool(replica_aliases()),
        "needs a PostgreSQL streaming replica: set DATABASE_URL=postgres://... and "
        "DATABASE_REPLICA_URLS=postgres://... (.ci/services/replica.sh makes one)",
        name="replica",
    )


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "").strip()


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def need_redis() -> str:
    """The Redis server of REDIS_URL (a URL of its database 0), or skip / fail."""
    url = redis_url()
    need(bool(url), "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0", "redis")
    need(redis_answers(url), f"Redis at {url} does not answer", "redis")
    return url


# What the scaled-out settings read: a child process that stands for `make run` on a fresh
# machine must not inherit the suite's Redis, S3 buckets or replicas.
SCALE_OUT_VARIABLES = ("REDIS_URL", "CELERY_BROKER_URL", "DATABASE_REPLICA_URLS", "MEDIA_S3_")


def zero_setup_environ() -> dict[str, str]:
    """os.environ without the scaled-out services: the zero-setup default's environment."""
    return {k: v for k, v in os.environ.items() if not k.startswith(SCALE_OUT_VARIABLES)}
