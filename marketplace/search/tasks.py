"""Search index updates off the request: a producer's save never waits for the engine.

After a write commits, `refresh_after_commit` queues `refresh_products` (config/celery.py). On a
worker, an engine that refuses is retried with exponential backoff; after the last retry (or at
once when tasks run eagerly, where a retry would hold up the request) the products go to the
dead-letter log (`IndexFailure`), which staff see in the admin and `search_reindex` repairs.
Rewriting a product's documents from the database is idempotent, so a retry or a second
delivery changes nothing.
"""

import logging

from celery import shared_task
from django.db import transaction

from config.celery import enqueue
from marketplace.search import services
from marketplace.search.models import IndexFailure

log = logging.getLogger(__name__)

MAX_RETRIES = 6  # 5 s, 10 s, 20 s, … 160 s: about five minutes of an engine being down


def backoff(retries: int) -> int:
    return min(300, 5 * 2**retries)


@shared_task(bind=True, name="search.refresh_products", max_retries=MAX_RETRIES)
def refresh_products(self, product_ids: list[int]) -> None:
    failure = services.refresh_products(product_ids)
    if failure is None:
        return
    if not self.request.is_eager and self.request.retries < self.max_retries:
        raise self.retry(exc=failure, countdown=backoff(self.request.retries))
    IndexFailure.objects.create(
        product_ids=sorted(product_ids),
        error=f"{type(failure).__name__}: {failure}"[:2000],
        attempts=self.request.retries + 1,
    )
    log.error("search index: %d product(s) to the dead-letter log: %s", len(product_ids), failure)


def refresh_after_commit(product_ids) -> None:
    """Refresh once the surrounding transaction commits (never with rolled-back data)."""
    if services.indexing_is_paused():
        return
    ids = sorted(set(product_ids))
    if ids:
        transaction.on_commit(lambda: enqueue(refresh_products, ids), robust=True)
