"""The shared cache on a real Redis (REDIS_URL): rate limits exact across processes.

Skips without Redis, fails under REQUIRE_SERVICES=1 (tests/services.py).
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches

from config import ratelimit
from tests.services import need_redis

ROOT = Path(__file__).resolve().parents[2]
ATTEMPTS_EACH = 10
PROCESSES = 4

# One process: wait for the start file, then try `ATTEMPTS_EACH` sign-ins as one client.
ATTEMPTER = """
import os, sys, time
import django
django.setup()
from config import ratelimit
start, who, attempts = sys.argv[1], sys.argv[2], int(sys.argv[3])
while not os.path.exists(start):
    time.sleep(0.005)
allowed = 0
for _ in range(attempts):
    try:
        ratelimit.hit("signin", who)
        allowed += 1
    except ratelimit.RateLimited:
        pass
print(allowed)
"""


def _attempt_from_processes(tmp_path, redis_url: str) -> list[int]:
    """PROCESSES separate Python processes, released together, each ATTEMPTS_EACH attempts."""
    start = tmp_path / "go"
    who = f"203.0.113.{uuid.uuid4().int % 250}-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "REDIS_URL": redis_url,
        "RATE_LIMITS": "1",
        "VAR_DIR": str(tmp_path / "var"),
    }
    if not redis_url:
        env.pop("REDIS_URL")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ATTEMPTER, str(start), who, str(ATTEMPTS_EACH)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    time.sleep(0.5)  # let them import Django and wait at the line
    start.touch()
    out = [proc.communicate(timeout=120)[0] for proc in procs]
    assert all(proc.returncode == 0 for proc in procs), out
    return [int(text.split()[-1]) for text in out]


def _signin_limit() -> int:
    return ratelimit.LIMITS["signin"].limit


def test_the_limit_holds_across_processes_on_redis(tmp_path):
    url = need_redis()
    allowed = _attempt_from_processes(tmp_path, url)
    # 4 × 10 attempts at a limit of 10: 10 in total, wherever they landed.
    assert sum(allowed) == _signin_limit(), allowed


def test_without_redis_each_process_counts_alone(tmp_path):
    # The default per-process memory cache: what the Redis test above proves is no longer true.
    allowed = _attempt_from_processes(tmp_path, "")
    assert allowed == [min(ATTEMPTS_EACH, _signin_limit())] * PROCESSES


@pytest.fixture
def redis_cache(settings):
    need_redis()
    settings.RATE_LIMITS_ENABLED = True
    backend = caches["default"]
    assert backend.__class__.__name__ == "RedisCache", settings.CACHES
    return backend


def _client(backend, key):
    return backend._cache.get_client(key, write=True)


def test_every_counter_expires_with_its_window(redis_cache):
    who = uuid.uuid4().hex
    ratelimit.hit("signin", who)
    window, _ = ratelimit._window(ratelimit.LIMITS["signin"])
    key = redis_cache.make_and_validate_key(ratelimit._key("signin", who, window))
    ttl = _client(redis_cache, key).ttl(key)
    assert 0 < ttl <= ratelimit.LIMITS["signin"].window_s + 1


def test_a_counter_left_without_expiry_gets_one(redis_cache):
    # Django's incr() is EXISTS then INCR: a key that expired in between came back from INCR
    # without an expiry, refusing that client for good. The next attempt now gives it one.
    who = uuid.uuid4().hex
    window, _ = ratelimit._window(ratelimit.LIMITS["signin"])
    key = redis_cache.make_and_validate_key(ratelimit._key("signin", who, window))
    _client(redis_cache, key).set(key, 3)
    ratelimit.hit("signin", who)
    client = _client(redis_cache, key)
    assert int(client.get(key)) == 4
    assert client.ttl(key) > 0


def test_check_reads_what_hit_counted(redis_cache):
    who = uuid.uuid4().hex
    for _ in range(_signin_limit()):
        ratelimit.hit("signin", who)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check("signin", who)
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.hit("signin", who)


def test_the_coverage_figures_are_shared_through_redis(redis_cache):
    from marketplace.coverage import cache as coverage_cache

    key = coverage_cache.figures.version_key
    redis_cache.delete(key)
    version = coverage_cache.figures.version()
    # Another process (a fresh client on the same server) reads the same version token.
    other = _client(redis_cache, redis_cache.make_and_validate_key(key))
    raw = other.get(redis_cache.make_and_validate_key(key))
    assert raw is not None and version in raw.decode("latin-1")


SETTINGS_PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "from config.celery import app; "
    "print(settings.CACHES['default']['BACKEND'], settings.SESSION_ENGINE, "
    "app.conf.task_always_eager, repr(app.conf.broker_url))"
)


def _settings_with(tmp_path, **env) -> list[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    out = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def test_the_zero_setup_default_needs_no_redis(tmp_path):
    backend, sessions, eager, broker = _settings_with(tmp_path)
    assert backend == "django.core.cache.backends.locmem.LocMemCache"
    assert sessions == "django.contrib.sessions.backends.db"
    assert eager == "True" and broker == "''"


def test_redis_url_shares_the_cache_sessions_and_the_queue(tmp_path):
    url = "redis://127.0.0.1:6390/0"
    backend, sessions, eager, broker = _settings_with(tmp_path, REDIS_URL=url)
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert sessions == "django.contrib.sessions.backends.cached_db"
    assert eager == "False" and broker == repr(url)


def test_the_suite_gives_each_xdist_worker_its_own_redis_database():
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL unset: the memory cache is per process already")
    location = settings.CACHES["default"]["LOCATION"]
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    assert location.endswith(f"/{worker % 63 + 1}")
