"""The ledger: every payment and delivery posted once, balanced, and `check_ledger` proves it
(and says where it does not)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum

from marketplace.checkout.ledger_check import all_problems
from marketplace.checkout.models import OrderStatus
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.errors import DomainError
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod
from marketplace.settlements import charges, ledger
from marketplace.settlements.models import Account, Entry, EntryKind, Posting
from tests.marketplace.checkout.buying import checkout_for, three_producers
from tests.services import need_postgres

pytestmark = pytest.mark.django_db

SHIP = Fulfilment(carrier="Viettel Post", tracking_number="VTP-0001", cancel_reason="Hết hàng")


def order_of(method, producers=2, settings=None):
    return complete_checkout(checkout_for(three_producers()[:producers]).pk, method)


def move(sub, *statuses):
    for status in statuses:
        set_sub_order_status(sub.pk, status, SHIP)


def balance(account, **tags) -> int:
    return Posting.objects.filter(account=account, **tags).aggregate(s=Sum("amount"))["s"] or 0


def net(sub) -> int:
    """What the producer is owed for a delivered sub-order: its total less commission and tax."""
    kept = sum(c.commission + c.vat + c.pit for c in charges.charges_for([sub.pk]))
    return sub.total - kept


def check_ledger() -> tuple[int, str]:
    try:
        call_command("check_ledger")
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, ""


def test_a_paid_order_delivered_in_part_and_cancelled_in_part_balances():
    order = order_of(PaymentMethod.VIETQR)
    delivered, cancelled = order.sub_orders.order_by("pk")
    payments.receive(order.payment, order.total, "vietqr:FT-1")
    move(delivered, OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
    move(cancelled, OrderStatus.CANCELLED)

    assert balance(Account.PLATFORM_BANK, order=order) == order.total
    assert balance(Account.PRODUCER_PAYABLE, producer=delivered.producer) == -net(delivered)
    # The cancelled part is owed back to the shopper: by bank transfer, as paid by VietQR.
    assert balance(Account.SHOPPER_FUNDS, order=order) == 0
    assert balance(Account.REFUNDS_DUE, order=order) == -cancelled.total
    assert balance(Account.PRODUCER_PAYABLE, producer=cancelled.producer) == 0
    assert all_problems() == []
    assert check_ledger() == (0, "")


def test_cash_on_delivery_is_posted_per_sub_order_once_even_when_reported_twice():
    order = order_of(PaymentMethod.COD)
    sub = order.sub_orders.order_by("pk").first()
    move(sub, OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
    payments.delivered(sub)  # a second courier report

    kinds = list(Entry.objects.filter(order=order).values_list("kind", "producer_id"))
    assert sorted(kinds) == [
        (EntryKind.COD_COLLECTED, sub.producer_id),
        (EntryKind.COMMISSION, sub.producer_id),
        (EntryKind.SALE_DELIVERED, sub.producer_id),
    ]
    assert balance(Account.CARRIER_COD, order=order) == sub.total
    assert balance(Account.SHOPPER_FUNDS, order=order) == 0
    assert check_ledger() == (0, "")


def test_a_vietqr_statement_line_posts_to_the_bank(settings, tmp_path):
    settings.VIETQR_BANK_BIN = "970403"
    settings.VIETQR_ACCOUNT_NUMBER = "0011012345678"
    order = order_of(PaymentMethod.VIETQR, producers=1)
    path = tmp_path / "statement.csv"
    path.write_text(
        f"transaction_id,reference,amount\nFT9,{order.number} thanh toan,{order.total}\n",
        encoding="utf-8",
    )
    call_command("reconcile_vietqr", str(path))
    call_command("reconcile_vietqr", str(path))  # the same statement again
    assert Entry.objects.filter(order=order, kind=EntryKind.PAYMENT_RECEIVED).count() == 1
    assert balance(Account.PLATFORM_BANK, order=order) == order.total


def test_the_ledger_refuses_an_unbalanced_or_empty_entry_and_writes_nothing():
    order = order_of(PaymentMethod.COD, producers=1)
    bank, funds = Account.PLATFORM_BANK, Account.SHOPPER_FUNDS
    cases = [
        [ledger.Leg(bank, 1000), ledger.Leg(funds, -999)],
        [ledger.Leg(bank, 1000)],
        [ledger.Leg(bank, 0), ledger.Leg(funds, 0)],
    ]
    for legs in cases:
        with pytest.raises(DomainError) as refused:
            ledger.post(EntryKind.PAYMENT_RECEIVED, "bad", legs, order_id=order.pk)
        assert refused.value.code in ("UNBALANCED_ENTRY", "EMPTY_POSTING")
    assert not Entry.objects.filter(key="bad").exists()
    legs = [ledger.Leg(bank, 1000), ledger.Leg(funds, -1000)]
    assert ledger.post(EntryKind.PAYMENT_RECEIVED, "once", legs, order_id=order.pk)
    assert not ledger.post(EntryKind.PAYMENT_RECEIVED, "once", legs, order_id=order.pk)
    assert Posting.objects.filter(entry__key="once").count() == 2


@pytest.fixture
def behind_its_back():
    """Change rows as a restore without triggers or a hand-made fix would: on PostgreSQL the
    balance trigger is switched off for this test's transaction (rolled back with it)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE settlements_posting DISABLE TRIGGER settlements_posting_balanced"
            )


def _paid_and_delivered():
    order = order_of(PaymentMethod.VIETQR, producers=1)
    payments.receive(order.payment, order.total, "vietqr:FT-2")
    sub = order.sub_orders.get()
    move(sub, OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
    assert check_ledger() == (0, "")
    return order, sub


def test_check_ledger_names_an_entry_changed_behind_its_back(behind_its_back, capsys):
    order, sub = _paid_and_delivered()
    posting = Posting.objects.get(entry__key=f"sale:{sub.pk}", account=Account.PRODUCER_PAYABLE)
    Posting.objects.filter(pk=posting.pk).update(amount=posting.amount + 5000)

    code, message = check_ledger()
    assert code == 1 and "chỗ sai" in message
    err = capsys.readouterr().err
    assert f"sale:{sub.pk}: bút toán lệch 5000 đồng" in err
    assert f"{order.number}: các bút toán của đơn này lệch 5000 đồng" in err
    assert f"{order.number}: nhà sản xuất #{sub.producer_id}: đã giao {sub.total} đồng" in err


def test_check_ledger_names_a_payment_or_a_delivery_missing_from_it(behind_its_back, capsys):
    order, sub = _paid_and_delivered()
    Entry.objects.filter(kind=EntryKind.SALE_DELIVERED, order=order).delete()
    Entry.objects.filter(kind=EntryKind.PAYMENT_RECEIVED, order=order).delete()

    assert check_ledger()[0] == 1
    err = capsys.readouterr().err
    assert f"{order.number}: đã nhận {order.total} đồng nhưng sổ cái ghi 0 đồng" in err
    assert f"đã giao {sub.total} đồng nhưng sổ cái ghi 0 đồng" in err


def test_check_ledger_names_money_released_that_the_shopper_never_paid(capsys):
    order = order_of(PaymentMethod.VIETQR, producers=1)
    sub = order.sub_orders.get()
    # A sale posted without the transfer (e.g. a bug that ships an unpaid VietQR order).
    ledger.transfer(
        EntryKind.SALE_DELIVERED,
        "sale:forged",
        debit=Account.SHOPPER_FUNDS,
        credit=Account.PRODUCER_PAYABLE,
        amount=sub.total,
        order_id=order.pk,
        producer_id=sub.producer_id,
    )
    assert check_ledger()[0] == 1
    err = capsys.readouterr().err
    assert f"{order.number}: đã chuyển cho nhà sản xuất {sub.total} đồng nhiều hơn" in err


def test_check_ledger_names_a_posting_tagged_with_another_order(behind_its_back, capsys):
    order, sub = _paid_and_delivered()
    other = order_of(PaymentMethod.COD, producers=1)
    posting = Posting.objects.filter(entry__key=f"sale:{sub.pk}").first()
    Posting.objects.filter(pk=posting.pk).update(order=other)
    assert check_ledger()[0] == 1
    assert f"sale:{sub.pk}: dòng {posting.pk} ghi sai đơn" in capsys.readouterr().err


def test_postgresql_refuses_an_unbalanced_entry_itself():
    need_postgres()
    order = order_of(PaymentMethod.COD, producers=1)
    legs = [ledger.Leg(Account.PLATFORM_BANK, 700), ledger.Leg(Account.SHOPPER_FUNDS, -700)]
    ledger.post(EntryKind.PAYMENT_RECEIVED, "pg-ok", legs, order_id=order.pk)
    entry = Entry.objects.get(key="pg-ok")
    with connection.cursor() as cursor:  # the deferred check, now rather than at commit
        cursor.execute("SET CONSTRAINTS settlements_posting_balanced IMMEDIATE")
    ledger.post(EntryKind.PAYMENT_RECEIVED, "pg-ok-2", legs, order_id=order.pk)
    with pytest.raises(IntegrityError, match="off by 1 dong"), transaction.atomic():
        Posting.objects.filter(entry=entry, amount=700).update(amount=701)
    with pytest.raises(IntegrityError, match="off by -700"), transaction.atomic():
        Posting.objects.filter(entry=entry, amount=700).delete()
    # Removing a whole entry is not a violation: checked when the transaction ends, as always.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS settlements_posting_balanced DEFERRED")
        entry.delete()
        cursor.execute("SET CONSTRAINTS settlements_posting_balanced IMMEDIATE")
    assert not Posting.objects.filter(entry_id=entry.pk).exists()


def test_a_producer_movement_without_an_order_balances_and_a_stray_order_tag_is_named(
    behind_its_back, capsys
):
    """A payout moves a producer's money that no single order caused: the entry has no order,
    and a posting that claims one anyway is named."""
    order, sub = _paid_and_delivered()
    legs = [
        ledger.Leg(Account.PRODUCER_PAYABLE, net(sub)),
        ledger.Leg(Account.PLATFORM_BANK, -net(sub)),
    ]
    ledger.post(EntryKind.PAYOUT, "payout:test", legs, order_id=None, producer_id=sub.producer_id)
    assert check_ledger()[0] == 0
    assert balance(Account.PRODUCER_PAYABLE, producer_id=sub.producer_id) == 0
    posting = Posting.objects.filter(entry__key="payout:test").first()
    Posting.objects.filter(pk=posting.pk).update(order=order)
    assert check_ledger()[0] == 1
    assert f"payout:test: dòng {posting.pk} ghi sai đơn" in capsys.readouterr().err
