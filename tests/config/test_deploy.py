"""Production refuses placeholder secrets; its entry point seeds nothing; `make clean` is safe."""

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PLACEHOLDER_NAMES = [
    "STRIPE_SECRET_KEY",
    "STRIPE_PUBLISHABLE_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "VIETQR_ACCOUNT_NUMBER",
    "SECRET_KEY",
]
REAL = {
    "SECRET_KEY": "a-real-production-key-" + "x" * 40,
    "STRIPE_SECRET_KEY": "sk_live_realkey",
    "STRIPE_PUBLISHABLE_KEY": "pk_live_realkey",
    "STRIPE_WEBHOOK_SECRET": "whsec_realsecret",
    "VIETQR_ACCOUNT_NUMBER": "1903123456789",
}


# What this repository's own runs set (CI's scaled-out pass: a replica of its test database).
OURS = {"DEBUG", "LOCAL_DEMO", "DATABASE_URL", "DATABASE_REPLICA_URLS", "VAR_DIR"}


def _env(tmp_path, **extra) -> dict:
    """A clean production-like environment: DEBUG off, nothing of ours configured."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {*PLACEHOLDER_NAMES, *OURS}
        and not k.startswith(("STRIPE_", "VIETQR_", "PYTEST", "DJANGO_"))
    }
    env.update(VAR_DIR=str(tmp_path / "var"), **extra)
    return env


def _run(args, env, **kwargs):
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, **kwargs
    )


def test_check_deploy_refuses_every_placeholder(tmp_path):
    result = _run([sys.executable, "manage.py", "check", "--deploy"], _env(tmp_path))
    assert result.returncode != 0
    for name in PLACEHOLDER_NAMES:
        assert name in result.stderr, (name, result.stderr)
    assert "whsec_test_secret" in result.stderr


@pytest.mark.parametrize("name", PLACEHOLDER_NAMES)
def test_check_deploy_refuses_each_placeholder_alone(tmp_path, name):
    real = {k: v for k, v in REAL.items() if k != name}
    result = _run([sys.executable, "manage.py", "check", "--deploy"], _env(tmp_path, **real))
    assert result.returncode != 0
    assert "ocop.E001" in result.stderr and name in result.stderr


def test_check_deploy_passes_with_real_secrets(tmp_path):
    result = _run([sys.executable, "manage.py", "check", "--deploy"], _env(tmp_path, **REAL))
    assert result.returncode == 0, result.stderr
    assert "ocop.E001" not in result.stderr


def test_the_wsgi_application_refuses_placeholders_unless_local_demo_or_debug(tmp_path):
    load = [sys.executable, "-c", "import config.wsgi"]
    refused = _run(load, _env(tmp_path))
    assert refused.returncode != 0
    assert "ImproperlyConfigured" in refused.stderr and "STRIPE_WEBHOOK_SECRET" in refused.stderr
    assert _run(load, _env(tmp_path, LOCAL_DEMO="1")).returncode == 0
    assert _run(load, _env(tmp_path, DEBUG="1")).returncode == 0
    assert _run(load, _env(tmp_path, **REAL)).returncode == 0


def test_make_run_is_the_explicit_local_demo():
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "LOCAL_DEMO=1" in recipe and "gunicorn" in recipe


def test_make_run_links_the_sample_months_emails_to_the_port_it_serves_on():
    """The sample month's e-mails are sent while it loads, before gunicorn starts: both must
    know the port, or their links open port 8000 whatever PORT is."""
    dry = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "SITE_URL"},
    )
    assert dry.returncode == 0, dry.stderr
    steps = [line for line in dry.stdout.splitlines() if "load_sample_catalog" in line]
    steps += [line for line in dry.stdout.splitlines() if "gunicorn" in line]
    assert len(steps) == 2, dry.stdout
    assert all("SITE_URL='http://127.0.0.1:8123'" in step for step in steps), steps


def test_the_container_runs_the_production_entry_point_not_make_run():
    dockerfile = (ROOT / "Dockerfile").read_text()
    command = [line for line in dockerfile.splitlines() if line.startswith("CMD")]
    assert command == ['CMD ["bin/serve"]']
    assert "COPY bin bin" in dockerfile
    lines = (ROOT / "bin" / "serve").read_text().splitlines()
    serve = "\n".join(line for line in lines if not line.lstrip().startswith("#"))
    assert "load_sample_catalog" not in serve and "make run" not in serve
    assert "check --deploy" in serve


def test_bin_serve_refuses_placeholders_before_touching_the_database(tmp_path):
    result = _run([str(ROOT / "bin" / "serve")], _env(tmp_path, PYTHON=sys.executable))
    assert result.returncode != 0
    assert "STRIPE_WEBHOOK_SECRET" in result.stderr
    assert not (tmp_path / "var" / "db.sqlite3").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_bin_serve_migrates_and_serves_an_empty_database(tmp_path):
    port = _free_port()
    env = _env(tmp_path, PYTHON=sys.executable, HOST="127.0.0.1", PORT=str(port), WORKERS="1")
    env.update(REAL)
    server = subprocess.Popen(
        [str(ROOT / "bin" / "serve")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    status = r.status
                    break
            except OSError:
                time.sleep(0.5)
        assert status == 200, server.stderr.read() if server.poll() is not None else "no answer"
    finally:
        server.terminate()
        server.wait(timeout=30)
    database = sqlite3.connect(tmp_path / "var" / "db.sqlite3")
    # Migrated, but no invented producers or products in a production database.
    assert database.execute("SELECT count(*) FROM producers_producer").fetchone() == (0,)
    assert database.execute("SELECT count(*) FROM catalog_product").fetchone() == (0,)


def test_make_clean_keeps_the_database_media_and_keys(tmp_path):
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    kept = ["var/db.sqlite3", "var/media/products/a.jpg", "var/trace_ed25519.pem", "var/secret_key"]
    gone = [".venv/bin/python", ".pytest_cache/x", "pkg/__pycache__/m.pyc"]
    for name in kept + gone:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    result = subprocess.run(["make", "clean"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert all((tmp_path / name).exists() for name in kept)
    assert not any((tmp_path / name).exists() for name in gone)
