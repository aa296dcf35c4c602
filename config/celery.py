"""The task queue: Celery with Redis as its broker (settings CELERY_*, README "Task queue").

Without a broker (`REDIS_URL` unset: `make run`, `make test`) every task runs at once in the
process that queues it, so the zero-setup default needs no worker. With one, `make worker` and
`make beat` run the workers and the schedule.

Every task here is safe to run twice: messages are acknowledged late and handed back when a
worker dies (`acks_late`, `task_reject_on_worker_lost`), so a task killed half-way runs again
from the start. Each one either rewrites state from the database (search documents, snapshots),
commits its work and its "done" mark in one transaction (imports), or checks a key before
repeating an effect the world can see (messages).
"""

import logging
import os

from celery import Celery
from celery.schedules import crontab
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

log = logging.getLogger(__name__)

app = Celery("ocop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(
    [
        "marketplace.catalog",
        "marketplace.search",
        "marketplace.coverage",
        "marketplace.notify",
        "marketplace.settlements",
        "traceability",
    ]
)

# Times are Asia/Ho_Chi_Minh (CELERY_TIMEZONE): quiet hours for the province.
app.conf.beat_schedule = {
    "sign-trace-checkpoint": {
        "task": "traceability.sign_checkpoint",
        "schedule": crontab(hour=1, minute=15),
    },
    "coverage-snapshot": {
        "task": "coverage.monthly_snapshot",
        "schedule": crontab(day_of_month=1, hour=0, minute=30),
    },
    # Monday early morning: last week (Monday–Sunday) is over; every closed period is caught up.
    "settlement-statements": {
        "task": "settlements.issue_statements",
        "schedule": crontab(day_of_week="mon", hour=2, minute=0),
    },
}


def enqueue(task, *args) -> None:
    """Queue `task(*args)`; when the broker cannot take it, run it here instead: the work is
    done late rather than lost."""
    try:
        task.delay(*args)
    except OperationalError as exc:
        log.warning("task queue unavailable, running %s here: %s", task.name, exc)
        task.apply(args=args)
