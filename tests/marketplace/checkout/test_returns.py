"""Returns: within the window, once; the producer accepts or disputes, staff decide."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Sum
from django.utils import timezone

from marketplace.checkout.ledger_check import all_problems
from marketplace.checkout.models import Return, ReturnStatus, SubOrder
from marketplace.checkout.services.returns import decide, request_return, respond
from marketplace.errors import DomainError
from marketplace.payments.models import Refund, RefundReason
from marketplace.settlements.models import Account, Entry, EntryKind, Posting
from tests.marketplace.payments.refunding import (
    deliver,
    member_of,
    staff_user,
    two_line_order,
    vietqr_order,
)

pytestmark = pytest.mark.django_db


def delivered_order(settings, **kwargs):
    order = vietqr_order(settings, producers=1, **kwargs)
    return order, deliver(order.sub_orders.get())


def test_accepted_return_reverses_the_sale_and_refunds_it(settings):
    order, sub = delivered_order(settings)
    item = request_return(order, sub.pk, "  Hàng bị  móp\r\nkhi nhận ")
    assert (item.status, item.amount, item.reason) == (
        ReturnStatus.REQUESTED,
        sub.total,
        "Hàng bị móp\nkhi nhận",
    )
    respond(member_of(sub.producer), item.pk, accept=True)
    item.refresh_from_db()
    assert item.status == ReturnStatus.ACCEPTED
    returned = Posting.objects.filter(entry__key=f"sale-returned:{item.pk}")
    assert sorted(returned.values_list("account", "amount")) == [
        (Account.PRODUCER_PAYABLE, sub.total),
        (Account.SHOPPER_FUNDS, -sub.total),
    ]
    refund = Refund.objects.get(key=f"return:{item.pk}")
    assert refund.amount == sub.total and refund.reason == RefundReason.RETURN
    payable = Posting.objects.filter(account=Account.PRODUCER_PAYABLE, producer=sub.producer)
    assert (payable.filter(order=order).aggregate(s=Sum("amount"))["s"] or 0) == 0
    assert all_problems() == []


def test_return_of_some_lines_refunds_those_lines_only(settings):
    order = two_line_order(settings)
    sub = deliver(order.sub_orders.get())
    line = sub.lines.order_by("pk").first()
    item = request_return(order, sub.pk, "Sai vị", line_ids=[line.pk])
    assert item.amount == line.line_total and list(item.lines.all()) == [line]
    respond(member_of(sub.producer), item.pk, accept=True)
    assert Refund.objects.get(sub_order=sub).amount == line.line_total
    assert all_problems() == []


def test_return_refused_after_the_window_before_delivery_twice_or_for_foreign_lines(settings):
    order, sub = delivered_order(settings)
    with pytest.raises(DomainError) as empty_reason:
        request_return(order, sub.pk, "   ")
    assert empty_reason.value.code == "REQUIRED" and empty_reason.value.field == "reason"
    other_order = vietqr_order(settings, producers=1)
    foreign = other_order.sub_orders.get()
    with pytest.raises(DomainError) as not_delivered:
        request_return(other_order, foreign.pk, "Không thích")
    assert not_delivered.value.code == "RETURN_NOT_DELIVERED"
    with pytest.raises(DomainError) as not_mine:
        request_return(order, foreign.pk, "Không thích")
    assert not_mine.value.code == "NOT_FOUND"
    with pytest.raises(DomainError) as foreign_line:
        request_return(order, sub.pk, "Không thích", line_ids=[foreign.lines.first().pk])
    assert foreign_line.value.code == "NOT_FOUND" and foreign_line.value.field == "lines"
    request_return(order, sub.pk, "Không thích")
    with pytest.raises(DomainError) as twice:
        request_return(order, sub.pk, "Không thích")
    assert twice.value.code == "RETURN_EXISTS"
    settings.RETURN_WINDOW_DAYS = 3
    late_order, late = delivered_order(settings)
    SubOrder.objects.filter(pk=late.pk).update(
        delivered_at=timezone.now() - datetime.timedelta(days=3, minutes=1)
    )
    with pytest.raises(DomainError) as too_late:
        request_return(late_order, late.pk, "Không thích")
    assert too_late.value.code == "RETURN_WINDOW_CLOSED" and "3 ngày" in too_late.value.message
    assert Return.objects.count() == 1


def test_dispute_goes_to_staff_who_decide(settings):
    order, sub = delivered_order(settings)
    owner = member_of(sub.producer)
    other_producer = (
        vietqr_order(settings, producers=3).sub_orders.exclude(producer=sub.producer)[0].producer
    )
    stranger = member_of(other_producer, username="other-member")
    item = request_return(order, sub.pk, "Hàng bị móp")
    for who in (AnonymousUser(), stranger):
        with pytest.raises(DomainError) as denied:
            respond(who, item.pk, accept=True)
        assert denied.value.code in ("NOT_FOUND", "PERMISSION_DENIED")
    with pytest.raises(DomainError) as no_note:
        respond(owner, item.pk, accept=False)
    assert no_note.value.code == "REQUIRED"
    respond(owner, item.pk, accept=False, note="Ảnh cho thấy hàng còn nguyên")
    with pytest.raises(DomainError) as again:
        respond(owner, item.pk, accept=True)
    assert again.value.code == "RETURN_NOT_OPEN"
    for who in (owner, stranger):
        with pytest.raises(DomainError) as not_staff:
            decide(who, item.pk, accept=True)
        assert not_staff.value.code == "PERMISSION_DENIED"
    assert not Entry.objects.filter(kind=EntryKind.SALE_RETURNED).exists()
    staff = staff_user()
    decide(staff, item.pk, accept=True, note="Khách gửi ảnh hàng móp")
    item.refresh_from_db()
    assert item.status == ReturnStatus.ACCEPTED and item.decided_by == staff
    with pytest.raises(DomainError) as decided_twice:
        decide(staff, item.pk, accept=True)
    assert decided_twice.value.code == "RETURN_NOT_OPEN"
    assert Refund.objects.filter(sub_order=sub).count() == 1
    assert all_problems() == []


def test_staff_reject_a_disputed_return_and_nothing_moves(settings):
    order, sub = delivered_order(settings)
    item = request_return(order, sub.pk, "Không thích")
    respond(member_of(sub.producer), item.pk, accept=False, note="Hàng thực phẩm đã mở")
    decide(staff_user(), item.pk, accept=False, note="Thực phẩm đã mở không nhận trả")
    item.refresh_from_db()
    assert item.status == ReturnStatus.REJECTED
    assert not Refund.objects.exists()
    assert not Entry.objects.filter(kind=EntryKind.SALE_RETURNED).exists()


def test_return_of_some_units_refunds_those_units_and_reverses_their_charges(settings):
    order = vietqr_order(settings, producers=1, quantity=3)
    sub = deliver(order.sub_orders.get())
    line = sub.lines.get()
    item = request_return(order, sub.pk, "Hai hũ bị nứt", quantities={line.pk: 2})
    assert item.amount == 2 * line.unit_price
    assert [(row.line_id, row.quantity) for row in item.items.all()] == [(line.pk, 2)]
    respond(member_of(sub.producer), item.pk, accept=True)
    assert Refund.objects.get(sub_order=sub).amount == 2 * line.unit_price
    assert all_problems() == []


def test_return_of_every_unit_is_the_whole_part_with_its_shipping(settings):
    order = vietqr_order(settings, producers=1, quantity=2)
    sub = deliver(order.sub_orders.get())
    line = sub.lines.get()
    item = request_return(order, sub.pk, "Không đúng mô tả", quantities={line.pk: 2})
    assert item.amount == sub.total and not item.items.exists()


def test_return_of_more_units_than_delivered_or_none_is_refused(settings):
    order = vietqr_order(settings, producers=1, quantity=2)
    sub = deliver(order.sub_orders.get())
    line = sub.lines.get()
    for quantities in ({line.pk: 3}, {line.pk: -1}, {line.pk: 0}):
        with pytest.raises(DomainError) as refused:
            request_return(order, sub.pk, "Hũ bị nứt", quantities=quantities)
        assert refused.value.code == "INVALID_QUANTITY" and refused.value.field == "lines"
    assert not Return.objects.exists()
