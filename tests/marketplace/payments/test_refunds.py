"""Refunds of cancelled sub-orders and lines, bank refund accounts and staff marking them paid."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Sum

from marketplace.checkout.ledger_check import all_problems
from marketplace.checkout.models import OrderStatus
from marketplace.checkout.services.orders import cancel_line, set_sub_order_status
from marketplace.checkout.services.returns import request_return, respond
from marketplace.errors import DomainError, ValidationFailed
from marketplace.payments import refunds
from marketplace.payments.errors import PaymentError
from marketplace.payments.models import (
    PaymentMethod,
    Refund,
    RefundAccount,
    RefundChannel,
    RefundReason,
    RefundStatus,
)
from marketplace.settlements.models import Account, Entry, EntryKind, Posting
from tests.marketplace.payments.refunding import (
    SHIP,
    cod_order,
    deliver,
    member_of,
    staff_user,
    two_line_order,
    vietqr_order,
)

pytestmark = pytest.mark.django_db


def balance(account, order):
    return Posting.objects.filter(account=account, order=order).aggregate(s=Sum("amount"))["s"] or 0


def test_cancelling_a_paid_vietqr_sub_order_refunds_its_total_by_bank(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    order = vietqr_order(settings)
    sub = order.sub_orders.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        set_sub_order_status(sub.pk, OrderStatus.CANCELLED, SHIP)
    refund = Refund.objects.get(sub_order=sub)
    assert (refund.amount, refund.channel, refund.status, refund.reason) == (
        sub.total,
        RefundChannel.BANK,
        RefundStatus.PENDING,
        RefundReason.CANCEL,
    )
    entry = Entry.objects.get(key=f"refund:{refund.pk}")
    assert entry.kind == EntryKind.REFUND and entry.producer_id == sub.producer_id
    assert balance(Account.REFUNDS_DUE, order) == -sub.total
    assert all_problems() == []
    # The shopper hears of it, and is asked for an account.
    assert len(mailoutbox) == 1 and order.number in mailoutbox[0].subject
    assert f"/don-hang/{order.number}/" in mailoutbox[0].body


def test_cancelling_unpaid_or_uncollected_refunds_nothing(settings):
    for order in (vietqr_order(settings, paid=False), cod_order()):
        sub = order.sub_orders.first()
        set_sub_order_status(sub.pk, OrderStatus.CANCELLED, SHIP)
        assert not Refund.objects.filter(sub_order=sub).exists()
    assert not Entry.objects.filter(kind=EntryKind.REFUND).exists()
    assert all_problems() == []


def test_cancelling_one_line_refunds_the_line_then_the_rest_with_shipping(settings):
    order = two_line_order(settings)
    sub = order.sub_orders.get()
    first, second = sub.lines.order_by("pk")
    total = sub.total
    sub = cancel_line(first.pk, SHIP)
    assert sub.subtotal == second.line_total and sub.total == total - first.line_total
    line_refund = Refund.objects.get(key=f"line:{first.pk}")
    assert line_refund.amount == first.line_total
    assert line_refund.reason == RefundReason.CANCEL_LINE
    with pytest.raises(DomainError) as twice:
        cancel_line(first.pk, SHIP)
    assert twice.value.code == "LINE_CANCELLED"
    # The last line left cancels the sub-order: the line and the shipping go back.
    sub = cancel_line(second.pk, SHIP)
    assert sub.status == OrderStatus.CANCELLED
    assert Refund.objects.get(key=f"cancel:{sub.pk}").amount == second.line_total + sub.shipping_fee
    assert Refund.objects.filter(sub_order=sub).aggregate(s=Sum("amount"))["s"] == order.total
    assert balance(Account.SHOPPER_FUNDS, order) == 0
    assert all_problems() == []


def test_cancelling_a_line_of_a_shipped_sub_order_is_refused(settings):
    order = two_line_order(settings)
    sub = order.sub_orders.get()
    set_sub_order_status(sub.pk, OrderStatus.CONFIRMED, SHIP)
    set_sub_order_status(sub.pk, OrderStatus.SHIPPED, SHIP)
    with pytest.raises(DomainError) as refused:
        cancel_line(sub.lines.first().pk, SHIP)
    assert refused.value.code == "INVALID_TRANSITION"
    assert not Refund.objects.exists()


def test_refund_above_what_was_paid_unpaid_or_twice_is_refused_and_posts_nothing(settings):
    order = vietqr_order(settings)
    sub = order.sub_orders.first()
    with pytest.raises(DomainError) as too_much:
        refunds.refund(sub, sub.total + 1, key="t:1", reason=RefundReason.CANCEL)
    assert too_much.value.code == PaymentError.REFUND_TOO_LARGE
    with pytest.raises(DomainError) as zero:
        refunds.refund(sub, 0, key="t:2", reason=RefundReason.CANCEL)
    assert zero.value.code == PaymentError.REFUND_INVALID_AMOUNT
    refunds.refund(sub, 1000, key="t:3", reason=RefundReason.CANCEL)
    with pytest.raises(DomainError) as twice:
        refunds.refund(sub, 1000, key="t:3", reason=RefundReason.CANCEL)
    assert twice.value.code == PaymentError.REFUND_DUPLICATE
    with pytest.raises(DomainError) as rest:  # what remains, not what was paid
        refunds.refund(sub, sub.total, key="t:4", reason=RefundReason.CANCEL)
    assert rest.value.code == PaymentError.REFUND_TOO_LARGE
    unpaid = vietqr_order(settings, paid=False).sub_orders.first()
    with pytest.raises(DomainError) as nothing_paid:
        refunds.refund(unpaid, 1000, key="t:5", reason=RefundReason.CANCEL)
    assert nothing_paid.value.code == PaymentError.REFUND_UNPAID
    assert Refund.objects.count() == 1
    assert Entry.objects.filter(kind=EntryKind.REFUND).count() == 1
    assert all_problems() == []


def test_refund_account_is_validated_and_normalised(settings):
    order = vietqr_order(settings)
    with pytest.raises(ValidationFailed) as bad:
        refunds.set_refund_account(order.payment, "999999", "12ab", "Lan 123")
    assert {(e.field, e.code) for e in bad.value.each()} == {
        ("bank_bin", PaymentError.INVALID_BANK),
        ("account_number", PaymentError.INVALID_ACCOUNT_NUMBER),
        ("holder_name", PaymentError.INVALID_HOLDER_NAME),
    }
    assert not RefundAccount.objects.exists()
    account = refunds.set_refund_account(
        order.payment, "970436", " 0071 0012-34567 ", "Nguyễn Thị  Lan"
    )
    assert (account.bank_bin, account.account_number, account.holder_name) == (
        "970436",
        "0071001234567",
        "NGUYEN THI LAN",
    )


def test_staff_mark_a_bank_refund_paid_once_with_the_bank_reference(settings, mailoutbox):
    order = vietqr_order(settings)
    sub = order.sub_orders.first()
    set_sub_order_status(sub.pk, OrderStatus.CANCELLED, SHIP)
    refund = Refund.objects.get(sub_order=sub)
    staff = staff_user()
    with pytest.raises(DomainError) as no_account:
        refunds.mark_paid(staff, refund.pk, "FT2612010001")
    assert no_account.value.code == PaymentError.REFUND_NO_ACCOUNT
    refunds.set_refund_account(order.payment, "970436", "0071001234567", "Nguyen Thi Lan")
    for who in (AnonymousUser(), order.user):
        with pytest.raises(DomainError) as denied:
            refunds.mark_paid(who, refund.pk, "FT2612010001")
        assert denied.value.code in ("PERMISSION_DENIED", "UNAUTHENTICATED")
    with pytest.raises(DomainError) as no_reference:
        refunds.mark_paid(staff, refund.pk, "  ")
    assert no_reference.value.code == PaymentError.INVALID_BANK_REFERENCE
    refunds.mark_paid(staff, refund.pk, "FT2612010001")
    with pytest.raises(DomainError) as twice:
        refunds.mark_paid(staff, refund.pk, "FT2612010001")
    assert twice.value.code == PaymentError.REFUND_NOT_PENDING
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED and refund.bank_reference == "FT2612010001"
    assert Entry.objects.filter(kind=EntryKind.REFUND_PAID).count() == 1
    assert balance(Account.REFUNDS_DUE, order) == 0
    assert balance(Account.PLATFORM_BANK, order) == order.total - sub.total
    assert all_problems() == []
    assert not refunds.pending_bank_refunds().exists()


def test_cod_cash_collected_then_returned_is_refunded_by_bank(settings):
    order = cod_order(producers=1)
    sub = deliver(order.sub_orders.get())
    item = request_return(order, sub.pk, "Hàng bị vỡ")
    respond(member_of(sub.producer), item.pk, accept=True)
    refund = Refund.objects.get(sub_order=sub)
    assert (refund.channel, refund.amount) == (RefundChannel.BANK, sub.total)
    assert order.payment.method == PaymentMethod.COD
    assert all_problems() == []
