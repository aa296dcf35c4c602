"""Races found by attack, replayed with real threads on PostgreSQL.

Each test widens the race window the way a slow server would (a short sleep inside the
critical step), so that without the lock or constraint the bad interleaving happens every time.
"""

import datetime
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction

from marketplace.catalog.models import Product
from marketplace.checkout.models import OrderStatus
from marketplace.checkout.services import orders
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import set_sub_order_status
from marketplace.payments.models import PaymentMethod
from producers import listings
from producers.models import MemberRole, Membership, Producer
from tests.marketplace.checkout.buying import checkout_for, three_producers
from traceability import events as trace_events
from traceability.events import EventData, correct_event, record_event
from traceability.lots import BatchData, create_batch
from traceability.models import Batch, Event

pytestmark = pytest.mark.postgres
User = get_user_model()
VN = datetime.timezone(datetime.timedelta(hours=7))


def run_together(*calls):
    """Run the calls in threads released at once; returns (results, errors) in call order."""
    start = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), [None] * len(calls)

    def run(index, call):
        try:
            start.wait(timeout=30)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread met
            errors[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def slowed(monkeypatch, module, name, seconds=0.3):
    real = getattr(module, name)

    def slow(*args, **kwargs):
        time.sleep(seconds)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, slow)


def test_two_producers_confirming_at_once_leave_the_order_confirmed(
    committed_postgres, monkeypatch
):
    order = complete_checkout(checkout_for(three_producers()[:2]).pk, PaymentMethod.COD)
    subs = list(order.sub_orders.values_list("pk", flat=True))
    slowed(monkeypatch, orders, "order_status_from")
    _, errors = run_together(
        *[lambda pk=pk: set_sub_order_status(pk, OrderStatus.CONFIRMED) for pk in subs]
    )
    assert errors == [None, None]
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED


@pytest.fixture
def race_lot(committed_postgres):
    product = Product.objects.exclude(gtin=None).order_by("pk").first()
    batch, _ = create_batch(
        BatchData(
            product=product,
            lot="RACE-CORRECT",
            packed_on=datetime.date(2026, 11, 1),
            best_before=datetime.date(2027, 11, 1),
            units=1,
        )
    )
    yield batch
    try:  # append-only triggers may refuse: the lot then stays, under its own code
        Event.objects.filter(batch=batch).order_by("-seq").delete()
        Batch.objects.filter(pk=batch.pk).delete()
    except Exception:  # noqa: BLE001
        pass


def _event(batch) -> Event:
    return record_event(
        batch,
        EventData(
            event_type="ObjectEvent",
            action="ADD",
            biz_step="commissioning",
            disposition="active",
            event_time=datetime.datetime(2026, 11, 2, 8, 0, tzinfo=VN),
            actor="HTX",
            ward_code="",
            quantity=None,
            uom="",
            note="Thu mua",
        ),
    )


def test_correcting_one_event_twice_at_once_declares_it_wrong_once(race_lot, monkeypatch):
    original = _event(race_lot)
    slowed(monkeypatch, trace_events, "_locked")
    results, errors = run_together(
        lambda: correct_event(original, None, reason="did_not_occur"),
        lambda: correct_event(original, None, reason="did_not_occur"),
    )
    assert sorted(type(e).__name__ for e in errors) == ["DomainError", "NoneType"]
    assert [e.code for e in errors if e is not None] == ["ALREADY_CORRECTED"]
    assert Event.objects.filter(declares_error_on=original).count() == 1


def test_the_database_refuses_a_second_error_declaration(race_lot):
    original = _event(race_lot)
    declaration, _ = correct_event(original, None, reason="did_not_occur")
    copy = EventData(
        event_type=original.event_type,
        action=original.action,
        biz_step=original.biz_step,
        disposition=original.disposition,
        event_time=original.event_time,
        actor=original.actor,
        ward_code="",
        quantity=None,
        uom="",
        note=original.note,
    )
    # Past the service's check, straight to the chain: the unique constraint still says no.
    with pytest.raises(IntegrityError), transaction.atomic():
        trace_events._append(
            trace_events._locked(race_lot),
            copy,
            now=declaration.record_time,
            declares_error_on=original,
            error_reason="did_not_occur",
        )


def test_two_listings_created_at_once_get_two_skus(committed_postgres, monkeypatch):
    producer = Producer.objects.get(code="AG0001")
    owner = User.objects.create_user(username="race-owner", password="x" * 12)
    Membership.objects.create(user=owner, producer=producer, role=MemberRole.OWNER)
    before = set(Product.objects.filter(producer=producer).values_list("pk", flat=True))
    slowed(monkeypatch, listings, "_next_sku")

    def create(name):
        return listings.create_listing(
            owner,
            producer,
            listings.ListingInput(name=name, product_set_code="1.8", unit="hũ", price="50k"),
        )

    try:
        results, errors = run_together(lambda: create("Mắm thử A"), lambda: create("Mắm thử B"))
        assert errors == [None, None]
        made = Product.objects.filter(producer=producer).exclude(pk__in=before)
        assert sorted(made.values_list("name", flat=True)) == ["Mắm thử A", "Mắm thử B"]
        assert len(set(made.values_list("sku", flat=True))) == 2
    finally:
        Product.objects.filter(producer=producer).exclude(pk__in=before).delete()
        owner.delete()
