"""The task queue's configuration and the scheduled tasks (beat): eager by default, each task
safe to run twice."""

import datetime

import pytest
from django.core.cache import cache

from config.celery import app
from marketplace.coverage import tasks as coverage_tasks
from marketplace.coverage.models import CoverageSnapshot
from tests.tasks import outcome
from traceability import tasks as trace_tasks
from traceability.models import Checkpoint


@pytest.fixture(autouse=True)
def _signing_key(settings, tmp_path):
    settings.TRACE_SIGNING_KEY_PATH = tmp_path / "key.pem"


def test_every_scheduled_task_is_a_registered_task():
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert scheduled == {
        "traceability.sign_checkpoint",
        "coverage.monthly_snapshot",
        "settlements.issue_statements",
    }
    app.loader.import_default_modules()
    assert scheduled <= set(app.tasks)


def test_tasks_are_acknowledged_late_and_handed_back_when_a_worker_dies():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.timezone == "Asia/Ho_Chi_Minh"


def test_the_checkpoint_runs_daily_and_the_snapshot_on_the_first():
    sign = app.conf.beat_schedule["sign-trace-checkpoint"]["schedule"]
    snap = app.conf.beat_schedule["coverage-snapshot"]["schedule"]
    assert sign.hour == {1} and sign.day_of_month == set(range(1, 32))
    assert snap.day_of_month == {1}


def test_statements_are_issued_on_monday_morning_and_twice_issues_nothing(db):
    from marketplace.settlements import tasks as settlement_tasks

    weekly = app.conf.beat_schedule["settlement-statements"]["schedule"]
    assert weekly.day_of_week == {1} and weekly.hour == {2}
    settlement_tasks.issue_statements()
    assert settlement_tasks.issue_statements() == 0


@pytest.mark.django_db
def test_the_monthly_snapshot_freezes_last_month_once(monkeypatch):
    monkeypatch.setattr(coverage_tasks, "today", lambda: datetime.date(2026, 11, 1))
    assert outcome(coverage_tasks.monthly_snapshot.delay()) == "2026-10"
    assert outcome(coverage_tasks.monthly_snapshot.delay()) == "2026-10"
    snapshots = CoverageSnapshot.objects.filter(month=datetime.date(2026, 10, 1))
    assert snapshots.count() == 1
    assert snapshots.get().as_of == datetime.date(2026, 10, 31)


@pytest.mark.django_db
def test_signing_twice_signs_one_head():
    assert outcome(trace_tasks.sign_checkpoint.delay()) is True
    heads = Checkpoint.objects.count()
    assert outcome(trace_tasks.sign_checkpoint.delay()) is True
    assert Checkpoint.objects.count() == heads  # nothing grew: no second head


@pytest.mark.django_db
def test_a_signing_already_running_is_not_doubled():
    before = Checkpoint.objects.count()
    cache.add(trace_tasks.LOCK_KEY, 1, timeout=60)
    try:
        assert outcome(trace_tasks.sign_checkpoint.delay()) is False
    finally:
        cache.delete(trace_tasks.LOCK_KEY)
    assert Checkpoint.objects.count() == before


def _reset_broker_pools():
    app._pool = None
    app.amqp._producer_pool = None


def test_a_broker_that_refuses_gets_the_work_done_here(sms_outbox):
    from marketplace.notify import sms

    was = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    _reset_broker_pools()
    try:
        sms.send_sms("0912 345 678", "Vẫn đến nơi")
    finally:
        app.conf.task_always_eager = True
        app.conf.broker_url = was
        _reset_broker_pools()
    assert [m.text for m in sms_outbox] == ["Vẫn đến nơi"]
