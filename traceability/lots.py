"""Lots and their serials."""

import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from marketplace import access
from marketplace.access import Permission
from marketplace.catalog.models import Product
from marketplace.errors import DomainError
from marketplace.models_util import full_clean_or_raise
from marketplace.text import nfc
from traceability.errors import TraceError
from traceability.models import Batch, Unit
from traceability.selectors import product_for_member

# Serials: 10 characters from 31 unambiguous ones ≈ 2^49.5 possibilities per lot, drawn
# with `secrets`, so a counterfeiter cannot guess a valid serial from seeing a few.
SERIAL_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
SERIAL_LENGTH = 10


@dataclass
class BatchData:
    product: Product
    lot: str
    packed_on: datetime.date
    best_before: datetime.date | None
    units: int
    serialised: bool = False


def _new_serials(count: int, taken: set[str]) -> list[str]:
    serials: list[str] = []
    while len(serials) < count:
        serial = "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(SERIAL_LENGTH))
        if serial not in taken:
            taken.add(serial)
            serials.append(serial)
    return serials


@transaction.atomic
def create_batch(data: BatchData) -> tuple[Batch, bool]:
    """Create a lot (and its serials); the same lot again is a no-op, a different one an error."""
    if not data.product.gtin:
        raise DomainError(
            TraceError.NO_GTIN, gettext("Sản phẩm chưa có mã GTIN nên chưa thể tạo lô."), "sku"
        )
    lot = nfc(data.lot)
    existing = Batch.objects.filter(product=data.product, lot=lot).first()
    if existing is not None:
        same = (
            existing.packed_on == data.packed_on
            and existing.best_before == data.best_before
            and existing.units == data.units
            and existing.serialised == data.serialised
        )
        if not same:
            raise DomainError(
                TraceError.LOT_EXISTS,
                gettext("Lô '%(lot)s' của sản phẩm này đã có.") % {"lot": lot},
                "lot",
            )
        return existing, False
    batch = Batch(
        product=data.product,
        lot=lot,
        packed_on=data.packed_on,
        best_before=data.best_before,
        units=data.units,
        serialised=data.serialised,
    )
    full_clean_or_raise(batch)
    batch.save()
    if batch.serialised:
        Unit.objects.bulk_create(
            Unit(batch=batch, serial=s) for s in _new_serials(batch.units, set())
        )
    return batch, True


def create_member_batch(user, sku: str, data: BatchData) -> tuple[Batch, bool]:
    """A producer's member creates a lot of one of their own products."""
    access.require(user, Permission.SIGNED_IN)
    data.product = product_for_member(user, sku)
    return create_batch(data)
