"""Reads of lots and events: look-ups by GTIN and lot, a member's own lots, a lot's chain."""

import datetime

from django.utils.translation import gettext

from marketplace.catalog import gtin as gtin_rules
from marketplace.catalog.models import Product
from marketplace.errors import DomainError
from traceability.errors import TraceError
from traceability.models import Attachment, Batch, Event


def gtin14(product: Product) -> str:
    return gtin_rules.to_gtin14(product.gtin)


def parse_gtin(value: str) -> str:
    """A GTIN-13 or GTIN-14 from a URI or a form, as GTIN-14; raises DomainError if invalid."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit() and len(value) in (13, 14)):
        raise DomainError(
            TraceError.INVALID_GTIN,
            gettext("GTIN '%(value)s' phải gồm 13 hoặc 14 chữ số.") % {"value": value},
            "gtin",
        )
    if not gtin_rules.is_valid(value):
        raise DomainError(
            TraceError.INVALID_GTIN,
            gettext("GTIN '%(value)s' sai số kiểm tra: phải là %(check_digit)s.")
            % {"value": value, "check_digit": gtin_rules.check_digit(value[:-1])},
            "gtin",
        )
    return value.zfill(14)


def find_batch(gtin: str, lot: str) -> Batch | None:
    """The lot with this GTIN (13 or 14 digits, validated) and lot code, or None."""
    code = parse_gtin(gtin)
    if not code.startswith("0"):
        return None  # the catalog holds GTIN-13s only; a GTIN-14 with indicator ≠ 0 is not ours
    return (
        Batch.objects.select_related("product__producer__ward__province", "product__certificate")
        .filter(product__gtin=code[1:], lot=lot)
        .first()
    )


def is_genuine_serial(batch: Batch, serial: str) -> bool:
    return batch.serialised and batch.unit_serials.filter(serial=serial).exists()


def batch_for_member(user, gtin: str, lot: str) -> Batch:
    """A lot the user may manage; others' lots are 'not found' so nothing about them leaks."""
    batch = find_batch(gtin, lot)
    if batch is None or not Batch.objects.for_member(user).filter(pk=batch.pk).exists():
        raise DomainError(TraceError.NOT_FOUND, gettext("Không tìm thấy lô hàng này."), "lot")
    return batch


def product_for_member(user, sku: str) -> Product:
    product = Product.objects.for_member(user).select_related("producer").filter(sku=sku).first()
    if product is None:
        raise DomainError(
            TraceError.NOT_FOUND,
            gettext("Không tìm thấy sản phẩm '%(sku)s'.") % {"sku": sku},
            "sku",
        )
    return product


def lot_events(batch: Batch) -> list[Event]:
    """A lot's whole chain in order, with attachments, in two queries."""
    return list(
        batch.events.order_by("seq")
        .select_related("corrects", "declares_error_on", "ward")
        .prefetch_related("attachments")
    )


def event_timezone(event: Event) -> datetime.timezone:
    """The offset the event happened in, so times read as they did on the spot."""
    return datetime.timezone(_parse_offset(event.event_tz_offset))


def local_time(event: Event) -> datetime.datetime:
    return event.event_time.astimezone(event_timezone(event))


def _parse_offset(text: str) -> datetime.timedelta:
    sign = -1 if text.startswith("-") else 1
    hours, minutes = text[1:].split(":")
    return sign * datetime.timedelta(hours=int(hours), minutes=int(minutes))


def visible_attachment(user, pk: int) -> Attachment | None:
    """Evidence a user may open: what a lot's public trace page shows (its product has a GTIN,
    so the QR code resolves to it), or any evidence of the lots the user manages. None
    otherwise, so another producer's hidden evidence looks exactly like a missing one."""
    attachment = Attachment.objects.select_related("event__batch__product").filter(pk=pk).first()
    if attachment is None:
        return None
    batch = attachment.event.batch
    if batch.product.gtin or Batch.objects.for_member(user).filter(pk=batch.pk).exists():
        return attachment
    return None
