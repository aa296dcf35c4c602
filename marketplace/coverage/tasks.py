"""The trade office's background work: monthly snapshots (beat) and register imports."""

import datetime

from celery import shared_task
from django.core.management import call_command

from marketplace.coverage import register_jobs
from marketplace.coverage.services import today


@shared_task(name="coverage.monthly_snapshot")
def monthly_snapshot(month: str | None = None) -> str:
    """Freeze last month's coverage (`coverage_snapshot --month`), run on the 1st by beat.

    Idempotent: the snapshot of a month is one row, refreshed by a second run.
    """
    if month is None:
        month = f"{today().replace(day=1) - datetime.timedelta(days=1):%Y-%m}"
    call_command("coverage_snapshot", month=month)
    return month


@shared_task(name="coverage.import_register")
def import_register(job_id: int) -> str:
    """A queued register upload (register_jobs.run: a second delivery changes nothing)."""
    return register_jobs.run(job_id)
