"""`make bench-load` (bench/load.sh starts PostgreSQL primary + replica and Redis first).

Two gunicorn nodes behind nginx, a Celery worker when the project has one, a catalogue of
BENCH_LOAD_PRODUCTS products; the driver (bench/load/driver.py) runs the mix in three phases of
BENCH_LOAD_SECONDS each: two nodes, one node (the 2-vs-1 scaling ratio of this run), and two
nodes while node 2 is killed with SIGKILL a third of the way in and restarted at two thirds.
After the kill phase it counts requests lost beyond those in flight at the kill, orders lost
or duplicated (the confirmations shoppers got against the orders in the database), and
whether one client's order lookups were limited exactly across both nodes.
"""

import argparse
import os
import resource
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench.load import catalogue as shop
from bench.load import driver, nodes

LIMIT_NAME = "order-lookup"


def _setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _percentile(samples: list[float], share: float) -> float:
    return samples[min(len(samples) - 1, int(len(samples) * share))]


def _report(label: str, results: driver.Results, seconds: float) -> float:
    """Print the phase's figures per kind; return its throughput (requests per second)."""
    print(f"\n## {label}")
    print(
        f"{'kind':<10}{'done':>8}{'per s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'failed':>8}"
    )
    total_ok = 0
    for kind in [*driver.MIX, "all"]:
        chosen = [o for o in results.outcomes if kind in (o.kind, "all")]
        times = sorted((o.ended - o.started) * 1000 for o in chosen if o.ok)
        failed = sum(not o.ok for o in chosen)
        if kind == "all":
            total_ok = len(times)
        if not times:
            print(f"{kind:<10}{0:>8}{'':>36}{failed:>8}")
            continue
        print(
            f"{kind:<10}{len(times):>8}{len(times) / seconds:>9.1f}{statistics.median(times):>9.1f}"
            f"{_percentile(times, 0.95):>9.1f}{_percentile(times, 0.99):>9.1f}{failed:>8}"
        )
    failures = Counter(o.detail for o in results.outcomes if not o.ok)
    for detail, count in failures.most_common(5):
        print(f"  failed ×{count}: {detail}")
    return total_ok / seconds


def _orders(run_id: str, results: driver.Results) -> dict:
    from marketplace.checkout.models import Order

    in_db = Counter(
        Order.objects.filter(email__startswith=f"load-{run_id}-").values_list("email", flat=True)
    )
    numbers = dict(
        Order.objects.filter(email__startswith=f"load-{run_id}-").values_list("email", "number")
    )
    return {
        "attempted": len(results.attempted),
        "confirmed": len(results.placed),
        "in_database": sum(in_db.values()),
        "lost": sum(1 for e, n in results.placed.items() if numbers.get(e) != n),
        "duplicated": sum(c - 1 for c in in_db.values() if c > 1),
        "placed_unanswered": sum(1 for e in in_db if e not in results.placed),
        "own_order_missing": results.own_order_missing,
    }


def _expected_allowed(probes: list[tuple[int, bool]]) -> int:
    from config.ratelimit import LIMITS

    limit = LIMITS[LIMIT_NAME]
    per_window = Counter(at // limit.window_s for at, _ in probes)
    return sum(min(count, limit.limit) for count in per_window.values())


class Cluster:
    """The two web nodes, the worker and nginx in front of whichever nodes are in service."""

    def __init__(self, env: dict, run: Path, workers: int, threads: int):
        self.ports = [nodes.free_port(), nodes.free_port()]
        self.web = [
            nodes.web_node(i + 1, port, env, run, workers, threads)
            for i, port in enumerate(self.ports)
        ]
        self.worker = nodes.celery_worker(env, run)
        self.front = nodes.Nginx(run, nodes.free_port())

    def start(self) -> None:
        for node, port in zip(self.web, self.ports, strict=True):
            node.start()
            nodes.wait_for(port, timeout=300)
        if self.worker:
            self.worker.start()
        self.front.configure(self.ports)
        print(
            f"nginx on 127.0.0.1:{self.front.port} → nodes {self.ports}; "
            f"celery worker: {'yes' if self.worker else 'no'}"
        )

    def restart_node_2(self) -> None:
        self.web[1].start()
        nodes.wait_for(self.ports[1], timeout=300)  # a loaded machine starts a node slowly

    def stop(self) -> None:
        for process in [self.front, *([self.worker] if self.worker else []), *self.web]:
            process.stop()


def _phase(cluster, catalogue, args, label, run_id, during=None):
    """Drive the mix for args.seconds (with `during` running beside it); print the figures."""
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.monotonic()
    side = threading.Thread(target=during, daemon=True) if during else None
    if side:
        side.start()
    results = driver.drive(
        "127.0.0.1", cluster.front.port, catalogue, args.seconds, args.shoppers, run_id
    )
    if side:
        side.join()
    used = resource.getrusage(resource.RUSAGE_SELF)
    busy = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
    rate = _report(label, results, args.seconds)
    print(
        f"  the driver itself used {busy / (time.monotonic() - wall) * 100:.1f} % of one core; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return results, rate


def _kill_test(cluster, catalogue, args) -> bool:
    """Node 2 killed a third of the way in and restarted at two thirds, while one client's
    order lookups probe the rate limit; True when nothing was lost or duplicated."""
    from config.ratelimit import LIMITS

    limit = LIMITS[LIMIT_NAME]
    moments: dict[str, float] = {}
    probes: list[tuple[int, bool]] = []

    def probe():
        port = cluster.front.port
        probes.extend(driver.probe_rate_limit("127.0.0.1", port, limit.limit * 3, args.seconds))

    def kill_and_restart():
        prober = threading.Thread(target=probe)
        prober.start()
        time.sleep(args.seconds / 3)
        moments["kill"] = time.monotonic()
        cluster.web[1].kill()
        time.sleep(args.seconds / 3)
        moments["restart"] = time.monotonic()
        cluster.restart_node_2()
        moments["back"] = time.monotonic()
        prober.join()

    label = "2 nodes, node 2 killed (SIGKILL) and restarted"
    results, _ = _phase(cluster, catalogue, args, label, "kill", kill_and_restart)
    kill = moments["kill"]
    failed = [o for o in results.outcomes if not o.ok]
    in_flight = [o for o in failed if o.started <= kill <= o.ended]
    lost_beyond = len(failed) - len(in_flight)
    first = min(o.started for o in results.outcomes)
    startup = moments["back"] - moments["restart"]
    print(
        f"\nkill test: node 2 killed at {kill - first:.1f} s, restarted at "
        f"{moments['restart'] - first:.1f} s (answering {startup:.1f} s later)"
    )
    print(
        f"  requests failed: {len(failed)} — in flight at the kill: {len(in_flight)}, "
        f"lost beyond those: {lost_beyond}"
    )
    orders = _orders("kill", results)
    print("  orders: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in orders.items()))
    allowed = sum(ok for _, ok in probes)
    expected = _expected_allowed(probes)
    verdict = "exact" if allowed == expected else "NOT exact: each process counts alone"
    print(
        f"  rate limit {LIMIT_NAME} ({limit.limit} per {limit.window_s} s) for one client over "
        f"both nodes: {len(probes)} attempts answered, {allowed} allowed, {expected} expected"
        f" → {verdict}"
    )
    intact = not (orders["lost"] or orders["duplicated"] or orders["own_order_missing"])
    return lost_beyond == 0 and intact


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--primary", required=True)
    parser.add_argument("--replica", default="")
    parser.add_argument("--redis", default="")
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("BENCH_LOAD_SECONDS", 60))
    )
    parser.add_argument(
        "--shoppers", type=int, default=int(os.environ.get("BENCH_LOAD_SHOPPERS", 16))
    )
    parser.add_argument(
        "--products", type=int, default=int(os.environ.get("BENCH_LOAD_PRODUCTS", 5000))
    )
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_LOAD_WORKERS", 1)))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("BENCH_LOAD_THREADS", 4)))
    args = parser.parse_args()

    run = Path(tempfile.mkdtemp(prefix="ocop-load-"))
    env = {
        "DATABASE_URL": args.primary,
        "DATABASE_REPLICA_URLS": args.replica,
        "REDIS_URL": args.redis,
        "VAR_DIR": str(run / "var"),
        "SECRET_KEY": secrets.token_urlsafe(
            40
        ),  # one key: a session made on one node works on both
        "LOCAL_DEMO": "1",
        "SECURE_COOKIES": "0",
        "BEHIND_PROXY": "1",
        # The driver stands for the province's load balancer as well as its shoppers: it writes
        # each shopper's address into X-Forwarded-For, nginx appends the driver's. Trusting one
        # proxy would make every shopper 127.0.0.1, and the exact (Redis) limits refuse them.
        "TRUSTED_PROXY_COUNT": "2",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "SEARCH_BACKEND": "database",
    }
    _setup_django(env)
    started = time.monotonic()
    catalogue = shop.prepare(args.products)
    print(
        f"catalogue of {args.products} products ready in {time.monotonic() - started:.0f} s ({run})"
    )
    print(
        f"replica: {'yes' if args.replica else 'no'}   redis: {args.redis or 'no'}   "
        f"nodes: {args.workers} worker(s) × {args.threads} threads each   shoppers: {args.shoppers}"
    )

    cluster = Cluster({**os.environ, **env}, run, args.workers, args.threads)
    try:
        cluster.start()
        driver.drive("127.0.0.1", cluster.front.port, catalogue, 5.0, args.shoppers, "warm")
        _, two = _phase(cluster, catalogue, args, "2 nodes", "two")
        cluster.web[1].stop()
        cluster.front.configure(cluster.ports[:1])
        _, one = _phase(cluster, catalogue, args, "1 node", "one")
        cluster.restart_node_2()
        cluster.front.configure(cluster.ports)
        print(f"\nscaling, 2 nodes vs 1: {two / one:.2f}× ({two:.1f} vs {one:.1f} requests/s)")
        return 0 if _kill_test(cluster, catalogue, args) else 1
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
