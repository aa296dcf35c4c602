"""Invoices follow the money: an accepted return of the whole sub-order cancels its invoice, a
return of some units replaces it with one for what the buyer keeps; a line cancelled before
delivery is not invoiced."""

import pytest

from marketplace.checkout.ledger_check import all_problems
from marketplace.checkout.services.orders import Fulfilment, cancel_line
from marketplace.checkout.services.returns import decide, request_return, respond
from marketplace.invoices import certificates, document, signing
from marketplace.invoices.certificates import SigningCertificate
from marketplace.invoices.models import Invoice, InvoiceKind, InvoiceProfile, InvoiceStatus
from marketplace.payments.models import Refund
from tests.marketplace.invoices.helpers import certificate, invoicing_producer, ship_to
from tests.marketplace.payments.refunding import member_of, staff_user, two_line_order, vietqr_order

pytestmark = pytest.mark.django_db


def invoiced(settings, quantity=3):
    invoicing_producer()  # the producer vietqr_order buys from
    order = vietqr_order(settings, producers=1, quantity=quantity)
    sub = order.sub_orders.get()
    ship_to(sub, "delivered")
    return order, sub, Invoice.objects.get(sub_order=sub)


def test_a_whole_return_cancels_the_invoice(settings):
    order, sub, invoice = invoiced(settings)
    item = request_return(order, sub.pk, "Hàng bị móp")
    respond(member_of(sub.producer), item.pk, accept=True)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED
    assert invoice.cancel_reason == f"Khách trả hàng (yêu cầu số {item.pk})"
    assert Invoice.objects.filter(sub_order=sub).count() == 1


def test_a_return_of_some_units_replaces_the_invoice_with_what_the_buyer_keeps(settings):
    order, sub, invoice = invoiced(settings, quantity=3)
    line = sub.lines.get()
    item = request_return(order, sub.pk, "Một hũ nứt", quantities={line.pk: 1})
    respond(member_of(sub.producer), item.pk, accept=False, note="Hũ còn nguyên")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED  # nothing moves until it is accepted
    decide(staff_user(), item.pk, accept=True)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.REPLACED
    replacement = Invoice.objects.get(replaces=invoice)
    assert replacement.kind == InvoiceKind.REPLACEMENT and replacement.number == invoice.number + 1
    assert replacement.total == sub.total - line.unit_price
    xml = bytes(replacement.signed_xml)
    assert signing.verifies(xml) and document.validate(xml) == []
    read = document.read(xml)
    assert read["lines"][0]["SLuong"] == "2" and read["total"] == replacement.total
    assert Refund.objects.get(sub_order=sub).amount == line.unit_price
    assert all_problems() == []


def test_a_return_stands_when_the_invoice_cannot_follow(settings):
    order, sub, invoice = invoiced(settings)
    key, expired = certificate(starts_in_days=-400, days=365)
    sealed = certificates.seal(SigningCertificate(key, expired))
    InvoiceProfile.objects.filter(producer=sub.producer).update(sealed_key=sealed)
    line = sub.lines.get()
    item = request_return(order, sub.pk, "Một hũ nứt", quantities={line.pk: 1})
    respond(member_of(sub.producer), item.pk, accept=True)
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.ISSUED  # left for the owner to replace by hand
    assert not Invoice.objects.filter(replaces=invoice).exists()
    assert Refund.objects.get(sub_order=sub).amount == line.unit_price


def test_a_line_cancelled_before_delivery_is_not_on_the_invoice(settings):
    order = two_line_order(settings)
    sub = order.sub_orders.get()
    first, second = sub.lines.order_by("pk")
    invoicing_producer(product=first.product)
    cancel_line(first.pk, Fulfilment(cancel_reason="Hết hàng"))
    ship_to(sub, "delivered")
    sub.refresh_from_db()
    invoice = Invoice.objects.get(sub_order=sub)
    assert invoice.total == sub.total
    read = document.read(bytes(invoice.signed_xml))
    assert [row["THHDVu"] for row in read["lines"]] == [second.name, "Phí vận chuyển"]
