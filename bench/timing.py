"""Timing helpers shared by the benchmarks."""

import statistics
import time
from collections.abc import Callable


def measure(fn: Callable[[], object], repeat: int = 50, warmup: int = 3) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return summary(samples)


def summary(samples: list[float]) -> dict[str, float]:
    """p50, p95 and throughput of these timings (milliseconds)."""
    samples = sorted(samples)
    return {
        "p50_ms": statistics.median(samples),
        "p95_ms": samples[min(len(samples) - 1, int(len(samples) * 0.95))],
        "per_s": 1000 / statistics.mean(samples),
    }


def row(label: str, figures: dict[str, float], extra: str = "") -> str:
    return (
        f"{label:<44} p50 {figures['p50_ms']:7.1f} ms   p95 {figures['p95_ms']:7.1f} ms   "
        f"{figures['per_s']:7.1f}/s {extra}"
    )
