"""A versioned cache serves a value until a watched row changes, and only outside transactions.

The cache serves only reads in autocommit mode, so most of these tests commit for real (the
`committed` fixture) and leave the shared rows as they found them.
"""

import time
import uuid

import pytest
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.test import override_settings

from marketplace.taxonomy.models import ProductSet
from marketplace.versioned_cache import PER_PROCESS_TIMEOUT, VersionedCache


@pytest.fixture
def figures():
    """A cache of its own, watching the product sets, unhooked afterwards."""
    made = VersionedCache(f"test-{uuid.uuid4().hex[:8]}", timeout=60)
    made.watch(ProductSet)
    yield made
    uid = f"{made.name}-cache-{ProductSet._meta.label_lower}"
    post_save.disconnect(sender=ProductSet, dispatch_uid=uid + "-save")
    post_delete.disconnect(sender=ProductSet, dispatch_uid=uid + "-delete")


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute, calls


def test_a_value_is_computed_once_until_a_watched_row_is_saved(committed, figures):
    compute, calls = counter()
    assert figures.cached("k", compute) == 1
    assert figures.cached("k", compute) == 1
    assert figures.cached("other", compute) == 2  # each key is its own entry
    ProductSet.objects.order_by("code").first().save()  # unchanged, but saved: a change
    assert figures.cached("k", compute) == 3
    assert len(calls) == 3


def test_an_empty_answer_is_cached_too(committed, figures):
    calls = []
    assert figures.cached("none", lambda: calls.append(1) or []) == []
    assert figures.cached("none", lambda: calls.append(1) or []) == []
    assert calls == [1]


def test_the_version_changes_when_the_write_commits_and_not_on_rollback(committed, figures):
    before = figures.version()
    with transaction.atomic():
        figures.changed()
        assert figures.version() == before  # a reader elsewhere still has the old figures
    after = figures.version()
    assert after != before
    with pytest.raises(RuntimeError), transaction.atomic():
        figures.changed()
        raise RuntimeError("rolled back")
    assert figures.version() == after


@pytest.mark.django_db
def test_inside_a_transaction_every_read_is_fresh(figures):
    compute, calls = counter()
    assert [figures.cached("k", compute) for _ in range(3)] == [1, 2, 3]


LOCAL = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SHARED = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # never reached: only the backend's kind is read
    }
}


def test_a_cache_of_each_process_keeps_figures_briefly_a_shared_one_for_the_timeout():
    """A change in one worker replaces only its own memory cache's version: the other workers'
    figures must not last the hours a shared cache may keep them."""
    figures = VersionedCache("kept", timeout=6 * 3600)
    with override_settings(CACHES=LOCAL):
        assert figures.stored_for() == PER_PROCESS_TIMEOUT == 30
    with override_settings(CACHES=SHARED):
        assert figures.stored_for() == 6 * 3600
    assert VersionedCache("short", timeout=10).stored_for() == 10


def test_a_figure_in_a_memory_cache_expires_within_the_per_process_timeout(committed):
    with override_settings(CACHES=LOCAL):
        backend = caches["default"]
        figures = VersionedCache(f"test-{uuid.uuid4().hex[:8]}", timeout=3600)
        figures.cached("k", lambda: 1)
        key = backend.make_key(f"{figures.name}:{figures.version()}:k")
        assert 0 < backend._expire_info[key] - time.time() <= PER_PROCESS_TIMEOUT
