"""Every change to a product's stock, and the only module that writes Stock rows.

Rows are locked in primary-key order (two writers never wait on each other in a cycle) and
evaluated before any write. After each change `stock_changed` is sent with the products
concerned; the search app listens and refreshes their documents once the transaction commits
(the engine filters on `in_stock`, so a sale of the last unit must reach it). Catalog does not
import search: the signal keeps the dependency pointing one way.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils.translation import gettext

from marketplace.catalog.errors import CatalogError
from marketplace.catalog.models import Product, Stock
from marketplace.errors import DomainError

# Sent with product_ids=[...] after stock rows changed (inside the writer's transaction).
stock_changed = Signal()


def validate_quantity(quantity: int) -> int:
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        raise DomainError(
            CatalogError.INVALID_QUANTITY, gettext("Số lượng tồn kho phải là số nguyên."), "stock"
        )
    if quantity < 0:
        raise DomainError(
            CatalogError.INVALID_QUANTITY, gettext("Số lượng tồn kho không được âm."), "stock"
        )
    return quantity


def _changed(product_ids) -> None:
    ids = sorted(set(product_ids))
    if ids:
        stock_changed.send(sender=Stock, product_ids=ids)


@transaction.atomic
def set_stock(product: Product, quantity: int) -> tuple[Stock, bool]:
    """The producer's count: (stock, changed)."""
    validate_quantity(quantity)
    stock, created = Stock.objects.select_for_update().get_or_create(
        product=product, defaults={"quantity": quantity}
    )
    if not created and stock.quantity == quantity:
        return stock, False
    if not created:
        stock.quantity = quantity
        stock.save(update_fields=["quantity", "updated_at"])
    _changed([product.pk])
    return stock, True


@dataclass(frozen=True)
class Shortage:
    product_id: int
    available: int
    wanted: int


def _locked(product_ids) -> dict[int, Stock]:
    # list() runs the locking query before any write.
    rows = Stock.objects.select_for_update().filter(product_id__in=product_ids).order_by("pk")
    return {stock.product_id: stock for stock in list(rows)}


@transaction.atomic
def take_stock(quantities: Mapping[int, int]) -> list[Shortage]:
    """Take units for a sale, all or nothing: the shortages, if any (then nothing is taken)."""
    stocks = _locked(quantities)
    shortages = [
        Shortage(pid, stocks[pid].quantity if pid in stocks else 0, wanted)
        for pid, wanted in sorted(quantities.items())
        if wanted > (stocks[pid].quantity if pid in stocks else 0)
    ]
    if shortages:
        return shortages
    for pid, wanted in sorted(quantities.items()):
        Stock.objects.filter(pk=stocks[pid].pk).update(quantity=F("quantity") - wanted)
    _changed(quantities)
    return []


@transaction.atomic
def return_stock(quantities: Mapping[int, int]) -> None:
    """Put units back (a cancelled sub-order); products without a stock row get one."""
    stocks = _locked(quantities)
    for pid, count in sorted(quantities.items()):
        if pid in stocks:
            Stock.objects.filter(pk=stocks[pid].pk).update(quantity=F("quantity") + count)
        else:
            Stock.objects.create(product_id=pid, quantity=count)
    _changed(quantities)
