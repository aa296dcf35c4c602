"""Figures computed from many rows, kept in Django's cache and dropped when those rows change.

Each cache is keyed by a version token. Saving or deleting a row of a watched model (signals),
and any bulk write that calls `changed()`, replace the token, so a stored figure never outlives
the data it was computed from. The token is replaced when the write commits: a reader that
computed from the data before the commit stored its answer under the old token, which is then
dead. A figure computed on a read replica that had not replayed the write yet can still be stored
under the new token: `timeout` bounds how long such a figure (or one a bulk write without
`changed()` left behind) is shown.

Only reads in autocommit mode use the cache: inside a transaction a reader may see its own
uncommitted writes, which must not reach other requests (and tests, which run in transactions,
see every figure fresh).

Without a shared cache (no REDIS_URL: a memory cache per process) a change replaces the version
of the process that made it only; the other workers keep their figures for PER_PROCESS_TIMEOUT
seconds at most.
"""

import uuid

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

PER_PROCESS_TIMEOUT = 30


class VersionedCache:
    def __init__(self, name: str, timeout: int):
        self.name = name
        self.timeout = timeout
        self.version_key = f"{name}:version"

    def changed(self, **_signal) -> None:
        """What this cache holds has changed (or will, once the current transaction commits)."""
        transaction.on_commit(self._new_version)  # at once in autocommit mode

    def cached(self, key: str, compute):
        """compute(), from the cache when nothing watched has changed since it was stored."""
        if not connection.get_autocommit():
            return compute()
        full_key = f"{self.name}:{self.version()}:{key}"
        value = cache.get(full_key)
        if value is None:
            value = compute()
            cache.set(full_key, value, self.stored_for())
        return value

    def stored_for(self) -> int:
        """Seconds a figure is kept: `timeout`, or less when each process has its own cache."""
        if isinstance(caches["default"], LocMemCache):
            return min(self.timeout, PER_PROCESS_TIMEOUT)
        return self.timeout

    def watch(self, *models) -> None:
        """Every save and delete of these models replaces the version (AppConfig.ready)."""
        for model in models:
            uid = f"{self.name}-cache-{model._meta.label_lower}"
            post_save.connect(self.changed, sender=model, dispatch_uid=uid + "-save", weak=False)
            post_delete.connect(
                self.changed, sender=model, dispatch_uid=uid + "-delete", weak=False
            )

    def version(self) -> str:
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, uuid.uuid4().hex, timeout=None)
            version = cache.get(self.version_key)
        return version

    def _new_version(self) -> None:
        cache.set(self.version_key, uuid.uuid4().hex, timeout=None)
