"""The sample CSVs read directly: an independent source to check the API against."""

import csv
from functools import cache

from fixtures.loader import SAMPLE_DIR


@cache
def _rows(name: str) -> tuple[dict, ...]:
    with (SAMPLE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def producers() -> dict[str, dict]:
    return {row["producer_code"]: row for row in _rows("producers.csv")}


def products() -> tuple[dict, ...]:
    return _rows("products.csv")


def published() -> list[dict]:
    """Published listings; every sample producer is active, so all of them are on sale."""
    return [row for row in products() if row["status"] == "published"]


def ward_of(row: dict) -> str:
    return producers()[row["producer_code"]]["ward_code"]
