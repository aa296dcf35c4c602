"""Stock changes go through marketplace.catalog.stock (engine side: search/test_stock_freshness)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from marketplace.catalog.stock import return_stock, set_stock, take_stock
from tests.marketplace.checkout.buying import three_producers

ROOT = Path(settings.BASE_DIR)
APPS = ["config", "marketplace", "producers", "traceability", "storefront", "fixtures"]
# What writing a Stock row looks like: the manager, a row's save, or a quantity assignment.
WRITES = re.compile(
    r"Stock\.objects|stock\.save\(|\.stock\.quantity\s*[-+]?=(?!=)|(?<!class )\bStock\("
)


def test_no_module_but_catalog_stock_writes_stock():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative == "marketplace/catalog/stock.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if WRITES.search(line):
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.django_db
def test_take_is_all_or_nothing_and_return_puts_back():
    a, b = three_producers()[:2]
    set_stock(a, 3)
    set_stock(b, 1)
    shortages = take_stock({a.pk: 2, b.pk: 2})
    assert [(s.product_id, s.available, s.wanted) for s in shortages] == [(b.pk, 1, 2)]
    a.stock.refresh_from_db()
    assert a.stock.quantity == 3  # nothing taken
    assert take_stock({a.pk: 2, b.pk: 1}) == []
    return_stock({a.pk: 1})
    a.stock.refresh_from_db()
    b.stock.refresh_from_db()
    assert (a.stock.quantity, b.stock.quantity) == (2, 0)
