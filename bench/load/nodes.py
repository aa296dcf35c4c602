"""The processes of `make bench-load`: gunicorn web nodes, nginx in front, a Celery worker.

Each runs from a folder of its own under the run's temporary directory, on loopback ports, and
in a session of its own so that a node can be killed whole (master and workers) with SIGKILL.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
NGINX_CONF = """\
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {run}/nginx-body;
  proxy_temp_path {run}/nginx-proxy;
  fastcgi_temp_path {run}/nginx-fastcgi;
  uwsgi_temp_path {run}/nginx-uwsgi;
  scgi_temp_path {run}/nginx-scgi;
  client_body_buffer_size 1m;
  upstream web {{
{servers}
    keepalive 32;
    # Idle connections to a node close from this side first (gunicorn keeps them 75 s): a node
    # closing one as nginx reuses it would look like a failure of a healthy node.
    keepalive_timeout 30s;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://web;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      # A node that refuses or drops a connection: the request goes to the other node. nginx
      # resends a POST only if the dead node never received it (non_idempotent is off).
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 1s;
      proxy_read_timeout 60s;
    }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, path: str = "/healthz", timeout: float = 60) -> None:
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            if connection.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port}{path} within {timeout:.0f} s")


class Process:
    def __init__(self, name: str, args: list[str], env: dict, log: Path):
        self.name, self.args, self.env, self.log = name, args, env, log
        self.popen: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.popen = subprocess.Popen(
                self.args,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL to the whole node: master and workers, no chance to finish anything."""
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def web_node(number: int, port: int, env: dict, run: Path, workers: int, threads: int):
    return Process(
        f"web{number}",
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--forwarded-allow-ips",
            "127.0.0.1",
            "--graceful-timeout",
            "5",
            "--keep-alive",
            "75",
            # The app loads before the port opens: a restarting node refuses connections (nginx
            # sends them to the other) instead of queueing them while it starts.
            "--preload",
        ],
        env,
        run / f"web{number}.log",
    )


def celery_worker(env: dict, run: Path) -> Process | None:
    """The task worker, once the project has a Celery app (config/celery.py)."""
    if not (Path(__file__).resolve().parents[2] / "config" / "celery.py").exists():
        return None
    return Process(
        "worker",
        [
            str(VENV_BIN / "celery"),
            "-A",
            "config",
            "worker",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
        ],
        env,
        run / "worker.log",
    )


class Nginx:
    def __init__(self, run: Path, port: int):
        self.run, self.port = run, port
        self.conf = run / "nginx.conf"
        for folder in ("nginx-body", "nginx-proxy", "nginx-fastcgi", "nginx-uwsgi", "nginx-scgi"):
            (run / folder).mkdir(exist_ok=True)
            (run / folder).chmod(0o777)  # nginx's workers drop root
        self.process: Process | None = None

    def configure(self, node_ports: list[int]) -> None:
        servers = "\n".join(
            f"    server 127.0.0.1:{p} max_fails=2 fail_timeout=2s;" for p in node_ports
        )
        self.conf.write_text(NGINX_CONF.format(run=self.run, servers=servers, port=self.port))
        if self.process is None:
            self.process = Process(
                "nginx",
                ["nginx", "-p", str(self.run), "-c", str(self.conf), "-g", "daemon off;"],
                dict(os.environ),
                self.run / "nginx.log",
            )
            self.process.start()
            wait_for(self.port)
        else:
            subprocess.run(
                ["nginx", "-p", str(self.run), "-c", str(self.conf), "-s", "reload"], check=True
            )
            time.sleep(1)  # the old workers finish their requests and exit

    def stop(self) -> None:
        if self.process:
            self.process.stop()
