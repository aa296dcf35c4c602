"""Returns: a delivered sub-order goes back within the return window, once.

The shopper asks (with a reason, optionally naming lines); the producer accepts or disputes
with a note; staff decide a disputed one. Accepting, in one transaction: the sale is reversed
(SALE_RETURNED: the producer no longer earns it), its commission and withheld tax are reversed
(marketplace.settlements.charges) and what the shopper paid for it is
refunded (marketplace.payments.refunds).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext

from marketplace import access
from marketplace.access import Permission
from marketplace.checkout.errors import CheckoutError
from marketplace.checkout.models import (
    Order,
    OrderStatus,
    Return,
    ReturnLine,
    ReturnStatus,
    SubOrder,
)
from marketplace.errors import DomainError
from marketplace.payments import refunds
from marketplace.payments.models import RefundReason
from marketplace.settlements import charges, ledger
from marketplace.settlements.charge_models import LineCharge
from marketplace.settlements.models import Account, EntryKind
from marketplace.text import nfc_lines

MAX_NOTE_CHARS = 1000

# Sent with return_request=… inside the transaction that accepts a return, once refunded: the
# invoices app listens and cancels or replaces the sub-order's e-invoice (checkout does not
# import it).
return_accepted = Signal()


def window() -> datetime.timedelta:
    return datetime.timedelta(days=settings.RETURN_WINDOW_DAYS)


def returnable_until(sub: SubOrder) -> datetime.datetime | None:
    if sub.status != OrderStatus.DELIVERED or sub.delivered_at is None:
        return None
    return sub.delivered_at + window()


def can_request(sub: SubOrder) -> bool:
    """For the order page: the form shows only where a request would be accepted."""
    until = returnable_until(sub)
    return (
        until is not None
        and timezone.now() <= until
        # The page's sub-orders carry their return already (selectors.order_for_display).
        and not hasattr(sub, "return_request")
    )


def _note(text: str, field: str, *, required: bool, what: str) -> str:
    note = nfc_lines(text)
    if required and not note:
        raise DomainError(CheckoutError.REQUIRED, what, field)
    if len(note) > MAX_NOTE_CHARS:
        raise DomainError(
            CheckoutError.TOO_LONG,
            gettext("Tối đa %(max)s ký tự.") % {"max": MAX_NOTE_CHARS},
            field,
        )
    return note


@transaction.atomic
def request_return(
    order: Order,
    sub_order_id: int,
    reason: str,
    line_ids: list[int] | None = None,
    quantities: dict[int, int] | None = None,
) -> Return:
    """The shopper of `order` (the caller checked who they are) sends a sub-order back: all of
    it, the lines `line_ids` whole, or `quantities` (line id → units, at most those delivered)."""
    sub = (
        SubOrder.objects.select_for_update(of=("self",))
        .filter(order=order, pk=sub_order_id)
        .first()
    )
    if sub is None:
        raise DomainError(
            CheckoutError.NOT_FOUND, gettext("Đơn hàng không có phần này."), "sub_order"
        )
    if sub.status != OrderStatus.DELIVERED:
        raise DomainError(
            CheckoutError.RETURN_NOT_DELIVERED,
            gettext("Chỉ trả được hàng đã nhận (đơn đang “%(status)s”).")
            % {"status": sub.get_status_display()},
            "sub_order",
        )
    if timezone.now() > returnable_until(sub):
        raise DomainError(
            CheckoutError.RETURN_WINDOW_CLOSED,
            gettext("Đã quá %(days)s ngày kể từ khi nhận hàng: không trả hàng được nữa.")
            % {"days": settings.RETURN_WINDOW_DAYS},
            "sub_order",
        )
    if Return.objects.filter(sub_order=sub).exists():
        raise DomainError(
            CheckoutError.RETURN_EXISTS,
            gettext("Phần đơn này đã có yêu cầu trả hàng."),
            "sub_order",
        )
    why = _note(
        reason, "reason", required=True, what=gettext("Hãy ghi lý do trả hàng để người bán biết.")
    )
    live = {line.pk: line for line in sub.lines.filter(cancelled_at=None)}
    units = _units(live, line_ids, quantities)
    whole = not units or units == {pk: line.quantity for pk, line in live.items()}
    amount = sub.total if whole else sum(live[pk].unit_price * n for pk, n in units.items())
    item = Return.objects.create(sub_order=sub, reason=why, amount=amount)
    if not whole:
        ReturnLine.objects.bulk_create(
            ReturnLine(return_request=item, line=live[pk], quantity=n)
            for pk, n in sorted(units.items())
        )
    return item


def _units(live: dict, line_ids, quantities) -> dict[int, int]:
    """Line id → units sent back; lines named with no units (0) are left out."""
    units = {pk: live[pk].quantity if pk in live else 0 for pk in line_ids or []}
    units.update({pk: n for pk, n in (quantities or {}).items()})
    if any(pk not in live for pk in units):
        raise DomainError(
            CheckoutError.NOT_FOUND,
            gettext("Sản phẩm được chọn không thuộc phần đơn này."),
            "lines",
        )
    for pk, n in units.items():
        if n < 0 or n > live[pk].quantity:
            raise DomainError(
                CheckoutError.INVALID_QUANTITY,
                gettext("%(name)s: trả được từ 1 đến %(most)s (số đã nhận).")
                % {"name": live[pk].name, "most": live[pk].quantity},
                "lines",
            )
    units = {pk: n for pk, n in units.items() if n > 0}
    if quantities is not None and not units:
        raise DomainError(
            CheckoutError.INVALID_QUANTITY,
            gettext("Hãy chọn ít nhất một sản phẩm để trả."),
            "lines",
        )
    return units


def _open_return(return_id: int, queryset) -> Return:
    item = (
        queryset.select_for_update(of=("self",))
        .select_related("sub_order")
        .filter(pk=return_id)
        .first()
    )
    if item is None:
        raise DomainError(
            CheckoutError.NOT_FOUND, gettext("Không tìm thấy yêu cầu trả hàng."), "return"
        )
    return item


def _not_open(item: Return) -> DomainError:
    return DomainError(
        CheckoutError.RETURN_NOT_OPEN,
        gettext("Yêu cầu trả hàng này đang “%(status)s”: không đổi được nữa.")
        % {"status": item.get_status_display()},
        "return",
    )


@transaction.atomic
def respond(user, return_id: int, accept: bool, note: str = "") -> Return:
    """The producer's answer: accept (refund follows) or dispute with a note for staff."""
    access.require(user, Permission.PORTAL)
    mine = Return.objects.filter(sub_order__in=SubOrder.objects.for_member(user))
    item = _open_return(return_id, mine)
    if item.status != ReturnStatus.REQUESTED:
        raise _not_open(item)
    item.producer_note = _note(
        note,
        "note",
        required=not accept,
        what=gettext("Hãy ghi vì sao không đồng ý, để sàn xem xét."),
    )
    if accept:
        _accept(item, user)
    else:
        item.status = ReturnStatus.DISPUTED
        item.save()
    return item


@transaction.atomic
def decide(user, return_id: int, accept: bool, note: str = "") -> Return:
    """Staff settle a disputed return."""
    access.require(user, Permission.REFUNDS)
    item = _open_return(return_id, Return.objects.all())
    if item.status != ReturnStatus.DISPUTED:
        raise _not_open(item)
    item.decision_note = _note(
        note, "note", required=not accept, what=gettext("Hãy ghi lý do từ chối cho khách.")
    )
    if accept:
        _accept(item, user)
    else:
        item.status = ReturnStatus.REJECTED
        item.decided_by = user
        item.decided_at = timezone.now()
        item.save()
    return item


def _accept(item: Return, user) -> None:
    sub = item.sub_order
    item.status = ReturnStatus.ACCEPTED
    item.decided_by = user
    item.decided_at = timezone.now()
    ledger.transfer(
        EntryKind.SALE_RETURNED,
        f"sale-returned:{item.pk}",
        debit=Account.PRODUCER_PAYABLE,
        credit=Account.SHOPPER_FUNDS,
        amount=item.amount,
        order_id=sub.order_id,
        producer_id=sub.producer_id,
    )
    # The returned lines' commission and withheld tax go back too (those the delivery charged).
    sold = set(
        LineCharge.objects.filter(key=charges.delivery_key(sub), quantity__gt=0).values_list(
            "line_id", flat=True
        )
    )
    returned = {row.line_id: row.quantity for row in item.items.all()} or {
        line.pk: line.quantity for line in sub.lines.filter(cancelled_at=None)
    }
    quantities = {pk: n for pk, n in returned.items() if pk in sold}
    if quantities:
        charges.reverse_for_return(sub, quantities, f"return:{item.pk}")
    refunds.refund(sub, item.amount, key=f"return:{item.pk}", reason=RefundReason.RETURN)
    item.save()  # before the signal: its listeners read the return as accepted
    return_accepted.send(sender=Return, return_request=item)
