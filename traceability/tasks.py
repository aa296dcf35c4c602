"""Scheduled trace work (config/celery.py's beat schedule): the daily checkpoint signature."""

import logging

from celery import shared_task
from django.core.cache import cache
from django.core.management import call_command

log = logging.getLogger(__name__)

LOCK_KEY = "traceability:signing"
LOCK_SECONDS = 30 * 60


@shared_task(name="traceability.sign_checkpoint")
def sign_checkpoint() -> bool:
    """Run `sign_trace_checkpoint` once at a time; False when another run holds the lock.

    Safe to run twice: a second run finds no chain grown since the head it signed and signs
    nothing new. The lock (an atomic add on the shared cache) keeps two runs from appending the
    same leaves at once (the second would fail on the leaf index anyway, and roll back).
    """
    if not cache.add(LOCK_KEY, 1, timeout=LOCK_SECONDS):
        log.warning("trace checkpoint: another signing is running; skipped")
        return False
    try:
        call_command("sign_trace_checkpoint")
    finally:
        cache.delete(LOCK_KEY)
    return True
