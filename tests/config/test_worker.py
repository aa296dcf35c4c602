"""A real Celery worker against the real Redis and PostgreSQL: killed mid-task (SIGKILL), the
task is handed to the next worker and completes exactly once.

Needs REDIS_URL and DATABASE_URL=postgres://… (the worker process must share the test's
database); skips without them and fails under REQUIRE_SERVICES=1.
"""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from bench.coverage_import import synthetic_register_csv
from config.celery import app
from marketplace.coverage import register_jobs, tasks
from marketplace.coverage.models import ImportStatus, RegisterEntry, RegisterImport
from tests.services import need_postgres, need_redis

ROOT = Path(__file__).resolve().parents[2]
ROWS = 20_000
OURS = {"product_name__startswith": "Sản phẩm thử "}  # synthetic_register_csv's names


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


class Worker:
    """`celery worker` in its own process group, consuming one queue of this test's own."""

    def __init__(self, name: str, queue: str, redis_url: str, log: Path):
        self.log = log
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            # A message a dead worker held is handed out again after 3 s, looked for each second.
            "CELERY_VISIBILITY_TIMEOUT": "3",
            "CELERY_RESTORE_INTERVAL": "1",
        }
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
            "--concurrency", "1", "--pool", "prefork", "--hostname", f"{name}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its pool children share the group: one kill takes all
        )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while "ready." not in self.text():
            assert self.proc.poll() is None, self.text()[-3000:]
            assert time.monotonic() < deadline, "worker not ready:\n" + self.text()[-3000:]
            time.sleep(0.2)

    def kill(self):
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def successes(self) -> int:
        return sum(
            "coverage.import_register[" in line and "succeeded" in line
            for line in self.text().splitlines()
        )


def _wait_for(predicate, timeout: float, what: str, worker: Worker):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, (
            f"timed out waiting for {what}:\n{worker.text()[-3000:]}"
        )
        time.sleep(0.05)


def _job(pk) -> RegisterImport:
    return RegisterImport.objects.defer("data").get(pk=pk)


def _committed(work):
    """Run `work` on a thread's own connection (autocommit), so that its rows are committed
    and another process sees them; the test's own connection stays in its transaction and,
    PostgreSQL reading committed data statement by statement, sees what the worker commits."""
    result = []

    def run():
        try:
            result.append(work())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert result, "the committing thread failed"
    return result[0]


@pytest.fixture
def committed_job():
    """An office upload of ROWS rows, committed (the worker must see it); removed afterwards."""
    need_postgres()
    from django.contrib.auth.models import User

    def create():
        user = User.objects.create_user(f"kill-test-{uuid.uuid4().hex[:8]}")
        data = synthetic_register_csv(ROWS)
        return register_jobs.create(user, data, "so.csv", as_of=None, skip_invalid=False)

    job = _committed(create)
    yield job

    def remove():
        RegisterEntry.objects.filter(**OURS).delete()
        RegisterImport.objects.filter(pk=job.pk).delete()
        User.objects.filter(pk=job.uploaded_by_id).delete()
        return True

    _committed(remove)


@pytest.fixture
def queue_to_redis():
    """This test's process sends its tasks to the broker (the suite runs them eagerly)."""
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@pytest.mark.django_db
def test_a_worker_killed_mid_import_hands_it_to_the_next_which_imports_once(
    committed_job, tmp_path, queue_to_redis
):
    redis_url = need_redis()
    queue = f"kill-test-{uuid.uuid4().hex}"
    job = committed_job
    first = Worker("first", queue, redis_url, tmp_path / "first.log")
    second = None
    try:
        first.wait_ready()
        with app.connection_for_write(redis_url) as conn:
            tasks.import_register.apply_async(args=[job.pk], queue=queue, connection=conn)

        # Half-way through checking the rows: SIGKILL the worker and its pool.
        _wait_for(lambda: _job(job.pk).rows_checked > 0, 120, "the import to start", first)
        first.kill()
        killed = _job(job.pk)
        assert killed.status == ImportStatus.RUNNING and not killed.written
        assert 0 < killed.rows_checked < ROWS
        assert RegisterEntry.objects.filter(**OURS).count() == 0  # nothing committed

        second = Worker("second", queue, redis_url, tmp_path / "second.log")
        second.wait_ready()
        _wait_for(lambda: _job(job.pk).status == ImportStatus.DONE, 240, "the re-delivery", second)
        done = _job(job.pk)
        assert (done.attempts, done.written, done.rows_checked) == (2, True, ROWS)
        assert RegisterEntry.objects.filter(**OURS).count() == ROWS
        _wait_for(lambda: second.successes() >= 1, 30, "the task's success", second)

        # The same message delivered once more (a duplicate): it finds the job done.
        with app.connection_for_write(redis_url) as conn:
            tasks.import_register.apply_async(args=[job.pk], queue=queue, connection=conn)
        _wait_for(lambda: second.successes() >= 2, 60, "the duplicate", second)
        again = _job(job.pk)
        assert (again.attempts, again.finished_at) == (2, done.finished_at)
        assert RegisterEntry.objects.filter(**OURS).count() == ROWS
    finally:
        first.stop()
        if second is not None:
            second.stop()
