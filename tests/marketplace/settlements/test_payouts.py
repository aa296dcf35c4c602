"""Payouts: the producer's account, batches of issued statements, the bank file, and one PAYOUT
per producer when staff mark a batch paid (the ledger still checks clean)."""

import csv
import io

import pytest

from marketplace.checkout.ledger_check import all_problems
from marketplace.errors import DomainError, ValidationFailed
from marketplace.payments import payouts
from marketplace.payments.errors import PaymentError
from marketplace.settlements import statement_selectors, statements
from marketplace.settlements.errors import SettlementError
from marketplace.settlements.models import Entry, EntryKind, PayoutBatch, Posting, Statement
from producers.models import MemberRole, Membership
from tests.marketplace.checkout.buying import three_producers
from tests.marketplace.payments.refunding import staff_user
from tests.marketplace.settlements.statement_world import (
    WEEK1,
    WEEK2,
    at,
    delivered,
    household,
    returned,
)

pytestmark = pytest.mark.django_db


def _owner(producer, django_user_model, phone="+84912345678"):
    user = django_user_model.objects.create_user(username=phone, password="x")
    Membership.objects.create(user=user, producer=producer, role=MemberRole.OWNER)
    return user


def _two_weeks(clock):
    """Two producers' statements of week 1, and producer 1's of week 2."""
    products = three_producers()[:2]
    for product in products:
        household(product)
    clock(at(WEEK1.start))
    delivered(products, quantity=2)
    clock(at(WEEK2.start))
    delivered(products[:1])
    clock(at(WEEK2.end.replace(day=17)))
    statements.issue_all()
    return products


def _account(producer, user):
    return payouts.set_payout_account(user, producer, "970436", "0071 0012 34567", "Trần Văn Ba")


def test_the_owner_sets_the_account_as_banks_write_it(django_user_model):
    producer = three_producers()[0].producer
    account = _account(producer, _owner(producer, django_user_model))
    assert (account.bank_bin, account.account_number, account.holder_name) == (
        "970436",
        "0071001234567",
        "TRAN VAN BA",
    )


def test_a_bad_account_is_refused_field_by_field_and_nothing_saved(django_user_model):
    producer = three_producers()[0].producer
    owner = _owner(producer, django_user_model)
    with pytest.raises(ValidationFailed) as refused:
        payouts.set_payout_account(owner, producer, "123", "12ab", "=HYPERLINK(1)")
    assert {e.code for e in refused.value.each()} == {
        PaymentError.INVALID_BANK,
        PaymentError.INVALID_ACCOUNT_NUMBER,
        PaymentError.INVALID_HOLDER_NAME,
    }
    assert not hasattr(producer, "payout_account")


def test_only_the_owner_or_staff_set_the_account(django_user_model):
    producer, other = (p.producer for p in three_producers()[:2])
    stranger = _owner(other, django_user_model)
    with pytest.raises(DomainError):
        _account(producer, stranger)
    assert _account(producer, staff_user())


def test_batch_errors_are_named_and_nothing_is_made(clock, django_user_model):
    products = _two_weeks(clock)
    first, second = (p.producer for p in products)
    staff = staff_user()
    _account(first, staff)  # the second producer has no account
    ids = list(Statement.objects.order_by("pk").values_list("pk", flat=True))
    with pytest.raises(ValidationFailed) as refused:
        payouts.create_batch(staff, [*ids, 999_999])
    codes = [e.code for e in refused.value.each()]
    assert SettlementError.STATEMENT_NOT_ISSUED in codes
    assert SettlementError.NO_PAYOUT_ACCOUNT in codes
    assert PayoutBatch.objects.count() == 0
    mine = list(Statement.objects.filter(producer=first).values_list("pk", flat=True))
    payouts.create_batch(staff, mine)
    with pytest.raises(ValidationFailed) as again:
        payouts.create_batch(staff, mine)
    assert {e.code for e in again.value.each()} == {SettlementError.STATEMENT_IN_BATCH}
    with pytest.raises(DomainError) as empty:
        payouts.create_batch(staff, [])
    assert empty.value.code == SettlementError.EMPTY_BATCH
    owner = _owner(first, django_user_model)
    with pytest.raises(DomainError):
        payouts.create_batch(owner, mine)
    assert PayoutBatch.objects.count() == 1


def test_a_statement_with_nothing_to_pay_is_refused(clock):
    product = three_producers()[0]
    household(product)
    clock(at(WEEK1.end))
    order = delivered([product])
    clock(at(WEEK2.start))
    statements.issue_all()
    returned(order, order.sub_orders.get())
    clock(at(WEEK2.end.replace(day=16)))
    (negative,) = statements.issue_all()
    staff = staff_user()
    _account(product.producer, staff)
    with pytest.raises(ValidationFailed) as refused:
        payouts.create_batch(staff, [negative.pk])
    assert refused.value.code == SettlementError.NOTHING_TO_PAY


def test_the_bank_file_has_one_row_per_producer_in_the_documented_layout(clock):
    products = _two_weeks(clock)
    staff = staff_user()
    for product in products:
        _account(product.producer, staff)
    batch = payouts.create_batch(staff, list(Statement.objects.values_list("pk", flat=True)))
    rows = list(csv.reader(io.StringIO(payouts.to_csv(batch).decode("utf-8"))))
    assert rows[0] == ["account_number", "bank_bin", "holder_name", "amount", "content"]
    by_amount = {}
    for statement in Statement.objects.all():
        by_amount[statement.producer_id] = by_amount.get(statement.producer_id, 0) + statement.net
    assert len(rows) == 3
    assert sorted(int(row[3]) for row in rows[1:]) == sorted(by_amount.values())
    for row in rows[1:]:
        assert row[:3] == ["0071001234567", "970436", "TRAN VAN BA"]
        assert row[4].startswith(f"OCOP AN GIANG CT{batch.pk} DS-") and row[4].isascii()
    assert payouts.to_csv(batch).endswith(b"\r\n")


def test_a_formula_in_a_cell_is_written_as_text():
    from marketplace.spreadsheet import safe_cell

    assert safe_cell("=1+1") == "'=1+1"  # what every cell of the file goes through


def test_marking_paid_posts_one_payout_per_producer_and_the_ledger_checks_clean(clock):
    products = _two_weeks(clock)
    staff = staff_user()
    for product in products:
        _account(product.producer, staff)
    batch = payouts.create_batch(staff, list(Statement.objects.values_list("pk", flat=True)))
    with pytest.raises(DomainError) as bad:
        payouts.mark_paid(staff, batch.pk, "x")
    assert bad.value.code == PaymentError.INVALID_BANK_REFERENCE
    assert not Entry.objects.filter(kind=EntryKind.PAYOUT).exists()
    payouts.mark_paid(staff, batch.pk, "FT26321 0001")
    payout_entries = Entry.objects.filter(kind=EntryKind.PAYOUT)
    assert payout_entries.count() == 2
    for product in products:
        owed = sum(s.net for s in Statement.objects.filter(producer=product.producer))
        paid = Posting.objects.get(
            entry__in=payout_entries, producer=product.producer, account="producer_payable"
        ).amount
        assert paid == owed
    assert all_problems() == []
    with pytest.raises(DomainError) as twice:
        payouts.mark_paid(staff, batch.pk, "FT26321 0002")
    assert twice.value.code == SettlementError.BATCH_ALREADY_PAID
    assert payout_entries.count() == 2
    assert all(s.paid_at for s in statement_selectors.statements_for(staff))
