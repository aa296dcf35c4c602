"""Coverage figures cached per day in Django's cache, dropped whenever what they count changes.

Cached figures are keyed by a version token. Saving or deleting a register entry, a listing
link, an external listing, a product or a producer (signals below), and the bulk writes of the
importers and the linker (`changed()`), replace the token, so a cached figure never outlives the
data it was computed from. The token is replaced when the write commits: a reader that computed
from the data before the commit stored its answer under the old token, which is then dead.

Only reads in autocommit mode use the cache: inside a transaction a reader may see its own
uncommitted writes, which must not reach other requests (and tests, which run in transactions,
see every figure fresh).
"""

import datetime
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "coverage:version"
TIMEOUT_S = 6 * 3600


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def changed() -> None:
    """What coverage counts has changed (or will, once the current transaction commits)."""
    transaction.on_commit(_new_version)  # at once in autocommit mode


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def cached(as_of: datetime.date, variant: str, compute):
    """compute() for this day, from the cache when nothing has changed since it was stored."""
    if not connection.get_autocommit():
        return compute()
    key = f"coverage:{_version()}:{variant}:{as_of.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, TIMEOUT_S)
    return figures


def _on_row_change(sender, **kwargs):
    changed()


def connect_signals() -> None:
    from marketplace.catalog.models import Product
    from marketplace.coverage.models import ExternalListing, ListingLink, RegisterEntry
    from marketplace.taxonomy.models import OcopGroup
    from producers.models import Producer

    for model in (RegisterEntry, ListingLink, ExternalListing, Product, Producer, OcopGroup):
        uid = f"coverage-cache-{model._meta.label_lower}"
        post_save.connect(_on_row_change, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_on_row_change, sender=model, dispatch_uid=uid + "-delete")
