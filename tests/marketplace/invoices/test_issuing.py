"""Issuing at delivery, numbering, replacement and cancellation, and the seller's bad inputs."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.checkout.models import OrderStatus
from marketplace.errors import DomainError, ValidationFailed
from marketplace.invoices import certificates, document, issuing, profiles, selectors, signing
from marketplace.invoices.certificates import SigningCertificate
from marketplace.invoices.errors import InvoiceError
from marketplace.invoices.models import Invoice, InvoiceKind, InvoiceProfile, InvoiceStatus
from tests.marketplace.checkout.buying import three_producers
from tests.marketplace.invoices.helpers import (
    PASSWORD,
    certificate,
    delivered_sub,
    invoicing_producer,
    p12,
    ship_to,
    staff_user,
)

pytestmark = pytest.mark.django_db


def test_a_delivery_gets_a_signed_invoice_of_what_was_paid():
    product = invoicing_producer()
    sub = delivered_sub(product, quantity=2)
    invoice = Invoice.objects.get(sub_order=sub)
    xml = bytes(invoice.signed_xml)
    assert document.validate(xml) == []
    assert signing.verifies(xml)
    read = document.read(xml)
    assert invoice.total == read["total"] == sub.total
    assert invoice.number == 1 and invoice.kind == InvoiceKind.ORIGINAL
    year = timezone.localdate().year % 100
    assert invoice.symbol == f"C{year:02d}TAA"  # the year digits follow the invoice's year
    assert read["seller"]["MST"] == product.producer.tax_code
    assert read["buyer"]["Ten"] == "Nguyễn Thị Lan"
    assert [line["THHDVu"] for line in read["lines"]] == [product.name, "Phí vận chuyển"]
    assert len(invoice.lookup_code) == 12 and invoice.lookup_code.isalnum()


def test_numbers_follow_one_another_per_seller_and_symbol():
    product = invoicing_producer()
    numbers = [Invoice.objects.get(sub_order=delivered_sub(product)).number for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_no_invoice_before_delivery_nor_for_a_producer_that_does_not_issue_them():
    product = invoicing_producer()
    other = three_producers()[1]
    assert not InvoiceProfile.objects.filter(producer=other.producer).exists()
    delivered_sub(other)
    assert not Invoice.objects.filter(producer=other.producer).exists()
    from marketplace.checkout.services.complete import complete_checkout
    from marketplace.payments.models import PaymentMethod
    from tests.marketplace.checkout.buying import checkout_for

    order = complete_checkout(checkout_for([product]).pk, PaymentMethod.COD)
    sub = order.sub_orders.get()
    ship_to(sub, OrderStatus.SHIPPED)
    with pytest.raises(DomainError) as caught:
        issuing.issue(sub.pk)
    assert caught.value.code == InvoiceError.NOT_DELIVERED
    assert not Invoice.objects.filter(sub_order=sub).exists()


def test_an_expired_certificate_leaves_the_delivery_standing_and_the_invoice_waiting():
    product = invoicing_producer()
    # Valid when uploaded, expired since: sealed as it was, bypassing the upload's check.
    key, expired = certificate(starts_in_days=-400, days=365)
    sealed = certificates.seal(SigningCertificate(key, expired))
    InvoiceProfile.objects.filter(producer=product.producer).update(sealed_key=sealed)
    sub = delivered_sub(product)
    sub.refresh_from_db()
    assert sub.status == OrderStatus.DELIVERED
    assert not Invoice.objects.filter(sub_order=sub).exists()
    assert list(selectors.awaiting_invoice(staff_user())) == [sub]
    problem = profiles.problem(profiles.profile_of(product.producer))
    assert problem.code == InvoiceError.CERTIFICATE_EXPIRED
    # A new certificate, then the portal's button: the invoice takes the next number, 1.
    profiles.upload_certificate(staff_user(), product.producer, p12(), PASSWORD)
    invoice = issuing.issue_for_member(staff_user(), sub.pk)
    assert invoice.number == 1
    with pytest.raises(DomainError) as caught:
        issuing.issue(sub.pk)
    assert caught.value.code == InvoiceError.ALREADY_ISSUED


def test_a_refused_issue_gives_its_number_back():
    product = invoicing_producer()
    first = Invoice.objects.get(sub_order=delivered_sub(product))
    InvoiceProfile.objects.filter(producer=product.producer).update(sealed_key=None)
    waiting = delivered_sub(product)
    profiles.upload_certificate(staff_user(), product.producer, p12(), PASSWORD)
    assert issuing.issue(waiting.pk).number == first.number + 1


def test_a_seller_without_a_tax_code_cannot_turn_invoices_on():
    producer = three_producers()[2].producer
    producer.tax_code = ""
    producer.save(update_fields=["tax_code"])
    with pytest.raises(ValidationFailed) as caught:
        profiles.save_settings(
            staff_user(),
            producer,
            issues_invoices=True,
            template="1",
            symbol="C26TAA",
            vat_rate="8%",
        )
    assert [e.code for e in caught.value.each()] == [InvoiceError.TAX_CODE_REQUIRED]
    assert not InvoiceProfile.objects.filter(producer=producer).exists()


def test_a_tax_code_removed_later_stops_issuing_with_that_reason():
    product = invoicing_producer()
    product.producer.tax_code = ""
    product.producer.save(update_fields=["tax_code"])
    sub = delivered_sub(product)
    assert not Invoice.objects.filter(sub_order=sub).exists()
    with pytest.raises(DomainError) as caught:
        issuing.issue(sub.pk)
    assert caught.value.code == InvoiceError.TAX_CODE_REQUIRED


@pytest.mark.parametrize("symbol", ["C26TA", "X26TAA", "C26XAA", "C26TAF", "C2ATAA", "C26TAAA"])
def test_symbols_outside_circular_78_are_refused(symbol):
    product = three_producers()[0]
    with pytest.raises(ValidationFailed) as caught:
        profiles.save_settings(
            staff_user(),
            product.producer,
            issues_invoices=True,
            template="1",
            symbol=symbol,
            vat_rate="8%",
        )
    assert InvoiceError.INVALID_SYMBOL in [e.code for e in caught.value.each()]


def test_a_lower_case_symbol_with_spaces_is_taken_as_written_upper():
    assert profiles.clean_symbol(" k26t ab ") == "K26TAB"
    assert profiles.symbol_for_year("C26TAA", 2027) == "C27TAA"


def test_a_replacement_takes_a_new_number_and_names_the_old_invoice():
    product = invoicing_producer()
    sub = delivered_sub(product)
    old = Invoice.objects.get(sub_order=sub)
    new = issuing.replace(staff_user(), old.pk, "  Sai địa chỉ người mua ")
    old.refresh_from_db()
    assert old.status == InvoiceStatus.REPLACED and new.replaces == old
    assert new.number == old.number + 1 and new.kind == InvoiceKind.REPLACEMENT
    related = document.read(bytes(new.signed_xml))["related"]
    assert related["number"] == str(old.number) and related["reason"] == "Sai địa chỉ người mua"
    assert document.validate(bytes(new.signed_xml)) == []
    with pytest.raises(DomainError) as caught:
        issuing.replace(staff_user(), old.pk, "lần nữa")
    assert caught.value.code == InvoiceError.NOT_LIVE


def test_cancelling_records_the_reason_and_needs_one():
    product = invoicing_producer()
    invoice = Invoice.objects.get(sub_order=delivered_sub(product))
    with pytest.raises(DomainError) as caught:
        issuing.cancel(staff_user(), invoice.pk, "   ")
    assert caught.value.code == InvoiceError.REASON_REQUIRED
    issuing.cancel(staff_user(), invoice.pk, "Khách trả lại toàn bộ hàng")
    invoice.refresh_from_db()
    assert invoice.status == InvoiceStatus.CANCELLED
    assert invoice.cancel_reason == "Khách trả lại toàn bộ hàng" and invoice.cancelled_at
    assert not list(selectors.awaiting_invoice(staff_user()))  # cancelled is not "waiting"


def test_the_database_refuses_a_second_standing_invoice_or_a_reused_number():
    product = invoicing_producer()
    invoice = Invoice.objects.get(sub_order=delivered_sub(product))
    fields = {
        f.attname: getattr(invoice, f.attname)
        for f in Invoice._meta.concrete_fields
        if f.name != "id"
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(**{**fields, "number": 99, "lookup_code": "X" * 12})
    other = delivered_sub(product)
    Invoice.objects.filter(sub_order=other).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.create(**{**fields, "sub_order_id": other.pk, "lookup_code": "Y" * 12})


def test_lines_that_do_not_add_up_to_the_sub_order_leave_the_delivery_standing():
    """E.g. a line taken off a sub-order that still lists it: the invoice waits, with the
    reason, instead of stating another amount or failing the courier's delivery report."""
    product = invoicing_producer()
    from marketplace.checkout.models import SubOrder
    from marketplace.checkout.services.complete import complete_checkout
    from marketplace.payments.models import PaymentMethod
    from tests.marketplace.checkout.buying import checkout_for

    order = complete_checkout(checkout_for([product], quantity=2).pk, PaymentMethod.COD)
    sub = order.sub_orders.get()
    ship_to(sub, OrderStatus.SHIPPED)
    SubOrder.objects.filter(pk=sub.pk).update(
        subtotal=sub.subtotal - product.price, total=sub.total - product.price
    )
    ship_to(sub, OrderStatus.DELIVERED)
    sub.refresh_from_db()
    assert sub.status == OrderStatus.DELIVERED
    assert not Invoice.objects.filter(sub_order=sub).exists()
    with pytest.raises(DomainError) as caught:
        issuing.issue(sub.pk)
    assert caught.value.code == InvoiceError.TOTAL_MISMATCH
    assert list(selectors.awaiting_invoice(staff_user())) == [sub]
