"""Issuing, replacing and cancelling invoices.

Numbers: the (producer, template, symbol) counter row is created if missing (INSERT … ON
CONFLICT DO NOTHING), then locked with SELECT … FOR UPDATE in the transaction that signs and
writes the invoice. A second delivery of the same seller waits on that lock, and a transaction
that fails gives its number back by rolling back, so numbers run 1, 2, 3… with no gap and no
duplicate. Nothing in that transaction waits on the network (sending is invoices.senders').
"""

import logging
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from marketplace.access import Permission, require
from marketplace.checkout.models import OrderStatus, Return, ReturnStatus, SubOrder
from marketplace.errors import DomainError
from marketplace.invoices import document, profiles, signing
from marketplace.invoices.errors import InvoiceError
from marketplace.invoices.models import (
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceProfile,
    InvoiceStatus,
)
from marketplace.money import format_vnd
from marketplace.payments.models import Payment, PaymentMethod
from marketplace.text import nfc

log = logging.getLogger(__name__)

# 32 letters and digits without 0/O, 1/I: 12 of them are 60 random bits, read aloud safely.
LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LOOKUP_LENGTH = 12
MAX_REASON_CHARS = 255  # GChu in the XML
PAYMENT_WORDS = {
    PaymentMethod.COD: "Tiền mặt",
    PaymentMethod.VIETQR: "Chuyển khoản",
    PaymentMethod.STRIPE: "Thẻ ngân hàng",
}
SHIPPING_LINE = "Phí vận chuyển"


def new_lookup_code() -> str:
    return "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(LOOKUP_LENGTH))


def normal_lookup_code(value: str) -> str:
    """What a buyer types (spaces, dashes, lower case) as stored."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def _next_number(producer_id: int, template: str, symbol: str) -> int:
    InvoiceCounter.objects.bulk_create(
        [InvoiceCounter(producer_id=producer_id, template=template, symbol=symbol)],
        ignore_conflicts=True,
    )
    counter = InvoiceCounter.objects.select_for_update().get(
        producer_id=producer_id, template=template, symbol=symbol
    )
    if counter.last_number >= document.MAX_NUMBER:
        raise DomainError(
            InvoiceError.NUMBERS_EXHAUSTED,
            gettext("Ký hiệu %(symbol)s đã dùng hết số hóa đơn: hãy đăng ký ký hiệu mới.")
            % {"symbol": symbol},
            "symbol",
        )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _address(*parts) -> str:
    return ", ".join(p for p in parts if p)


def _kept(sub: SubOrder) -> tuple[dict[int, int], int]:
    """What the buyer keeps: units per live line (cancelled lines and units of an accepted
    return of some lines left out), and the amount that return gave back."""
    units = {line.pk: line.quantity for line in sub.lines.all() if line.cancelled_at is None}
    returned = (
        Return.objects.filter(sub_order_id=sub.pk, status=ReturnStatus.ACCEPTED)
        .prefetch_related("items")
        .first()
    )
    if returned is None or not returned.items.all():
        return units, 0
    for row in returned.items.all():
        units[row.line_id] = units.get(row.line_id, 0) - row.quantity
    return {pk: n for pk, n in units.items() if n > 0}, returned.amount


def _data(sub: SubOrder, profile: InvoiceProfile, symbol: str, number: int, day, related=None):
    order, producer = sub.order, sub.producer
    payment = Payment.objects.filter(order_id=order.pk).only("method").first()
    units, _returned = _kept(sub)
    lines = [
        document.Line(line.sku, line.name, units[line.pk], line.unit_price)
        for line in sub.lines.all()
        if line.pk in units
    ]
    if sub.shipping_fee:
        lines.append(document.Line("", SHIPPING_LINE, 1, sub.shipping_fee))
    return document.InvoiceData(
        template=profile.template,
        symbol=symbol,
        number=number,
        issued_on=day,
        seller=document.Party(
            name=producer.name,
            address=_address(
                producer.street_address, producer.ward.name, producer.ward.province.name
            ),
            tax_code=producer.tax_code,
            phone=producer.phone,
            email=producer.email,
        ),
        buyer=document.Party(
            name=order.full_name,
            address=_address(order.street_address, order.ward.name, order.province.name),
            phone=order.phone_display,
            email=order.email,
        ),
        lines=lines,
        payment=PAYMENT_WORDS.get(payment.method if payment else "", "TM/CK"),
        vat_rate=profile.vat_rate,
        order_number=order.number,
        related=related,
    )


def _write(sub: SubOrder, profile: InvoiceProfile, *, replaces: Invoice | None = None, reason=""):
    """Number, sign and store one invoice for `sub` (inside the caller's transaction)."""
    signing_certificate = profiles.signing_certificate(profile)
    profiles.require_tax_code(sub.producer)
    day = timezone.localdate()
    symbol = profiles.symbol_for_year(profiles.clean_symbol(profile.symbol), day.year)
    number = _next_number(sub.producer_id, profile.template, symbol)
    related = None
    if replaces is not None:
        related = document.Related(
            replaces.template, replaces.symbol, replaces.number, replaces.issued_on, reason
        )
    data = _data(sub, profile, symbol, number, day, related)
    owed = sub.total - _kept(sub)[1]
    if data.total != owed:
        # The invoice says what the buyer owes, to the đồng; lines that no longer add up to the
        # sub-order's total leave it waiting (the delivery stands) rather than misstated.
        raise DomainError(
            InvoiceError.TOTAL_MISMATCH,
            gettext(
                "Các dòng của đơn %(number)s cộng lại %(lines)s, khác số tiền của đơn "
                "%(total)s: chưa lập hóa đơn, hãy báo ban quản lý sàn."
            )
            % {
                "number": sub.order.number,
                "lines": format_vnd(data.total),
                "total": format_vnd(owed),
            },
            "sub_order",
        )
    xml = signing.sign(document.build(data), signing_certificate)
    return Invoice.objects.create(
        producer_id=sub.producer_id,
        sub_order=sub,
        kind=InvoiceKind.REPLACEMENT if replaces else InvoiceKind.ORIGINAL,
        template=profile.template,
        symbol=symbol,
        number=number,
        issued_on=day,
        total=data.total,
        signed_xml=xml,
        lookup_code=new_lookup_code(),
        replaces=replaces,
        reason=reason,
    )


def _sub_order(sub_order_id: int) -> SubOrder:
    return (
        SubOrder.objects.select_related(
            "order__ward", "order__province", "producer__ward__province"
        )
        .prefetch_related("lines")
        .get(pk=sub_order_id)
    )


@transaction.atomic
def issue(sub_order_id: int) -> Invoice:
    """The invoice of a delivered sub-order (once: a second call answers ALREADY_ISSUED)."""
    sub = _sub_order(sub_order_id)
    if sub.status != OrderStatus.DELIVERED:
        raise DomainError(
            InvoiceError.NOT_DELIVERED,
            gettext("Chỉ lập hóa đơn cho đơn đã giao."),
            "sub_order",
        )
    profile = profiles.profile_of(sub.producer)
    problem = profiles.problem(profile)
    if problem is not None:
        raise problem
    if Invoice.objects.filter(sub_order=sub).exclude(status=InvoiceStatus.REPLACED).exists():
        raise DomainError(
            InvoiceError.ALREADY_ISSUED,
            gettext("Đơn %(number)s đã có hóa đơn.") % {"number": sub.order.number},
            "sub_order",
        )
    return _write(sub, profile)


def issue_on_delivery(sub_order) -> Invoice | None:
    """Called in the delivery's transaction: a producer that issues invoices gets one for the
    sub-order now. If it cannot (certificate expired, say), the delivery still stands: the
    portal lists the sub-order as waiting for its invoice, with the reason."""
    if not InvoiceProfile.objects.filter(
        producer_id=sub_order.producer_id, issues_invoices=True
    ).exists():
        return None
    try:
        return issue(sub_order.pk)  # its own savepoint: a refusal undoes only the invoice
    except DomainError as exc:
        log.warning("no invoice for sub-order %s: %s", sub_order.pk, exc.code)
        return None


def issue_for_member(user, sub_order_id: int) -> Invoice:
    """The portal's 'Lập hóa đơn' for a delivered sub-order still without one."""
    if not SubOrder.objects.for_member(user).filter(pk=sub_order_id).exists():
        raise DomainError(InvoiceError.NOT_FOUND, gettext("Không tìm thấy đơn hàng."), "sub_order")
    return issue(sub_order_id)


def _reason(value: str, field: str) -> str:
    reason = " ".join(nfc(value).split())
    if not reason:
        raise DomainError(
            InvoiceError.REASON_REQUIRED, gettext("Cần ghi lý do (người mua sẽ thấy)."), field
        )
    if len(reason) > MAX_REASON_CHARS:
        raise DomainError(
            InvoiceError.TOO_LONG,
            gettext("Lý do dài tối đa %(max)s ký tự.") % {"max": MAX_REASON_CHARS},
            field,
        )
    return reason


def _live_invoice(user, invoice_id: int) -> Invoice:
    invoice = Invoice.objects.for_member(user).select_for_update(of=("self",)).filter(pk=invoice_id)
    invoice = invoice.select_related("producer").first()
    if invoice is None:
        raise DomainError(InvoiceError.NOT_FOUND, gettext("Không tìm thấy hóa đơn."), "invoice")
    require(user, Permission.OWN_PRODUCER, invoice.producer)
    if invoice.status != InvoiceStatus.ISSUED:
        raise DomainError(
            InvoiceError.NOT_LIVE,
            gettext("Hóa đơn này đã bị thay thế hoặc đã hủy."),
            "invoice",
        )
    return invoice


@transaction.atomic
def replace(user, invoice_id: int, reason: str) -> Invoice:
    """A replacement invoice (new number, TTHDLQuan naming the old one) drawn from the
    sub-order as it stands now, e.g. after a line was returned or the buyer's details fixed."""
    reason = _reason(reason, "reason")
    return _replace(_live_invoice(user, invoice_id), reason)


def _replace(old: Invoice, reason: str) -> Invoice:
    old.status = InvoiceStatus.REPLACED
    old.save(update_fields=["status"])
    sub = _sub_order(old.sub_order_id)
    return _write(sub, profiles.profile_of(sub.producer), replaces=old, reason=reason)


@transaction.atomic
def cancel(user, invoice_id: int, reason: str) -> Invoice:
    """Cancel an invoice (the whole sale was returned or made in error), with the reason."""
    reason = _reason(reason, "cancel_reason")
    return _cancel(_live_invoice(user, invoice_id), reason)


def _cancel(invoice: Invoice, reason: str) -> Invoice:
    invoice.status = InvoiceStatus.CANCELLED
    invoice.cancel_reason = reason
    invoice.cancelled_at = timezone.now()
    invoice.save(update_fields=["status", "cancel_reason", "cancelled_at"])
    return invoice


def follow_return(item) -> Invoice | None:
    """The invoice follows the money of an accepted return (in its transaction): a return of
    the whole sub-order cancels its live invoice, a return of some units replaces it with one
    for what the buyer keeps. When that cannot be done (the certificate expired, say) the
    return stands and the invoice is left for the owner to replace or cancel by hand."""
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .filter(sub_order_id=item.sub_order_id, status=InvoiceStatus.ISSUED)
        .first()
    )
    if invoice is None:
        return None
    # The invoice's own words (GChu / the cancellation record), in Vietnamese whatever the UI.
    reason = f"Khách trả hàng (yêu cầu số {item.pk})"
    try:
        with transaction.atomic():  # a refusal undoes only the invoice's change
            if not item.items.exists():
                return _cancel(invoice, reason)
            return _replace(invoice, reason)
    except DomainError as exc:
        log.warning("invoice %s not following return %s: %s", invoice.pk, item.pk, exc.code)
        return None
