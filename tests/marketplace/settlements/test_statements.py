"""Settlement statements: the figures recomputed from the orders, the ledger's word for the net,
once per period, immutable, and a late return on the next statement."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum

from marketplace.checkout.ledger_check import all_problems
from marketplace.checkout.models import OrderStatus
from marketplace.errors import DomainError
from marketplace.payments.models import PaymentMethod
from marketplace.settlements import statement_selectors, statements
from marketplace.settlements.errors import SettlementError
from marketplace.settlements.models import Account, Posting, Statement, StatementEvent
from tests.marketplace.settlements.statement_world import (
    WEEK1,
    WEEK2,
    at,
    delivered,
    first_producer_product,
    returned,
)

pytestmark = pytest.mark.django_db


def _percent(amount: int, percent: str) -> int:
    return int((Decimal(amount) * Decimal(percent) / 100).quantize(0, rounding=ROUND_HALF_UP))


def _expected_from_orders(subs):
    """What a statement of these delivered sub-orders must say, from the orders alone: seeded
    rates (5 % commission; household goods 1 % VAT + 0.5 % PIT per line)."""
    lines = [line for sub in subs for line in sub.lines.filter(cancelled_at=None)]
    goods = sum(line.line_total for line in lines)
    shipping = sum(sub.shipping_fee for sub in subs)
    commission = sum(_percent(line.line_total, "5") for line in lines)
    vat = sum(_percent(line.line_total, "1") for line in lines)
    pit = sum(_percent(line.line_total, "0.5") for line in lines)
    return {
        "goods": goods,
        "shipping": shipping,
        "returns": 0,
        "commission": commission,
        "vat": vat,
        "pit": pit,
        "net": goods + shipping - commission - vat - pit,
    }


def _figures(statement):
    names = ("goods", "shipping", "returns", "commission", "vat", "pit", "net")
    return {name: getattr(statement, name) for name in names}


def _ledger_net(statement) -> int:
    """What the producer_payable postings of the statement's events say the producer is owed."""
    keys = [
        key
        for event in StatementEvent.objects.filter(statement=statement)
        for key in statements.entry_keys(event.key)
    ]
    total = Posting.objects.filter(
        entry__key__in=keys, account=Account.PRODUCER_PAYABLE, producer=statement.producer
    ).aggregate(s=Sum("amount"))["s"]
    return -(total or 0)


def test_a_week_of_deliveries_matches_the_orders_and_the_ledger(clock, settings):
    product = first_producer_product()
    clock(at(WEEK1.start.replace(day=3)))
    cod = delivered([product], quantity=3)
    vietqr = delivered([product], quantity=2, method=PaymentMethod.VIETQR, settings=settings)
    clock(at(WEEK2.start))
    (statement,) = statements.issue_all()
    subs = [cod.sub_orders.get(), vietqr.sub_orders.get()]
    assert statement.number == f"DS-{product.producer.code}-20261102"
    assert (statement.period_start, statement.period_end) == (WEEK1.start, WEEK1.end)
    assert _figures(statement) == _expected_from_orders(subs)
    assert statement.cod_collected == subs[0].total
    assert statement.net == _ledger_net(statement)
    lines = list(statement_selectors.lines_of(statement))
    assert sorted(c.sub_order.order.number for c in lines) == sorted([cod.number, vietqr.number])
    assert all_problems() == []


def test_issuing_twice_issues_nothing_new(clock, capsys):
    product = first_producer_product()
    clock(at(WEEK1.start))
    delivered([product])
    clock(at(WEEK2.start.replace(day=10)))
    call_command("issue_statements", "--period-end", "2026-11-08")
    call_command("issue_statements")
    call_command("issue_statements", "--period-end", "2026-11-08")
    out = capsys.readouterr().out
    assert out.count("Đã phát hành 1 bảng đối soát") == 1
    assert out.count("Đã phát hành 0 bảng đối soát") == 2
    assert Statement.objects.count() == 1


def test_a_late_return_lands_on_the_next_statement_and_the_first_stands(clock):
    product = first_producer_product()
    clock(at(WEEK1.end, hour=9))
    order = delivered([product], quantity=2)
    sub = order.sub_orders.get()
    clock(at(WEEK2.start))
    (first,) = statements.issue_all()
    before = _figures(first)
    clock(at(WEEK2.start.replace(day=11)))  # within the return window, in the next week
    returned(order, sub)
    clock(at(WEEK2.end.replace(day=16)))
    (second,) = statements.issue_all()
    first.refresh_from_db()
    assert _figures(first) == before
    assert second.period_start == WEEK2.start
    sold = _expected_from_orders([sub])
    assert second.goods == second.shipping == 0
    assert second.returns == sub.total
    # The delivery's own commission and tax come back: the week's net is the sale undone.
    assert (second.commission, second.vat, second.pit) == (
        -sold["commission"],
        -sold["vat"],
        -sold["pit"],
    )
    assert second.net == -sold["net"] == _ledger_net(second)
    assert [c.quantity for c in statement_selectors.lines_of(second)] == [-2]
    assert all_problems() == []


def test_a_delivery_dated_in_an_old_week_goes_on_the_next_statement_not_issued_yet(clock):
    product = first_producer_product()
    clock(at(WEEK1.start))
    delivered([product])
    clock(at(WEEK2.start))
    statements.issue_all()
    # A delivery recorded late (the courier's Sunday report typed in on Monday) is dated on
    # Monday: it belongs to week 2, never to the issued week 1.
    clock(at(WEEK2.start, hour=11))
    delivered([product])
    clock(at(WEEK2.end.replace(day=16)))
    (second,) = statements.issue_all()
    assert second.period_start == WEEK2.start and second.events.count() == 1


def test_an_issued_statement_cannot_be_changed_or_removed(clock):
    product = first_producer_product()
    clock(at(WEEK1.start))
    delivered([product])
    clock(at(WEEK2.start))
    (statement,) = statements.issue_all()
    statement.net = 1
    with pytest.raises(DomainError) as refused:
        statement.save()
    assert refused.value.code == SettlementError.STATEMENT_IMMUTABLE
    with pytest.raises(DomainError):
        statement.delete()
    assert Statement.objects.get().net != 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_on_postgresql_the_database_refuses_to_change_an_issued_statement(clock):
    product = first_producer_product()
    clock(at(WEEK1.start))
    delivered([product])
    clock(at(WEEK2.start))
    (statement,) = statements.issue_all()
    for attempt in (
        lambda: Statement.objects.filter(pk=statement.pk).update(net=0),
        lambda: StatementEvent.objects.filter(statement=statement).update(key="x"),
        lambda: StatementEvent.objects.filter(statement=statement).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert Statement.objects.get().net == statement.net


def test_a_day_that_ends_no_period_or_a_period_not_over_is_refused(clock):
    clock(at(WEEK2.start.replace(day=12)))
    for day in (WEEK1.start, WEEK2.end):  # a Monday; this week's Sunday (not over yet)
        with pytest.raises(DomainError) as refused:
            statements.issue_all(day)
        assert refused.value.code == SettlementError.INVALID_PERIOD
    assert statements.issue_all(WEEK1.end) == []


def test_a_cancelled_sub_order_is_on_no_statement(clock):
    product = first_producer_product()
    clock(at(WEEK1.start))
    from marketplace.checkout.services.complete import complete_checkout
    from marketplace.checkout.services.orders import set_sub_order_status
    from tests.marketplace.checkout.buying import checkout_for
    from tests.marketplace.settlements.statement_world import SHIP

    order = complete_checkout(checkout_for([product]).pk, PaymentMethod.COD)
    set_sub_order_status(order.sub_orders.get().pk, OrderStatus.CANCELLED, SHIP)
    clock(at(WEEK2.start))
    assert statements.issue_all() == []


def test_period_length_is_a_setting(settings):
    settings.SETTLEMENT_PERIOD_DAYS = 14
    period = statements.period_of(WEEK2.end)
    assert (period.end - period.start).days == 13
    assert period.start.weekday() == 0
