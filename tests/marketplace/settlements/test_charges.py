"""Commission and tax withheld, per line, at the rates in force on the delivery day; reversed
exactly on return."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from marketplace.checkout.ledger_check import all_problems
from marketplace.checkout.models import OrderStatus
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.errors import DomainError
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod
from marketplace.settlements import charges
from marketplace.settlements.errors import SettlementError
from marketplace.settlements.models import (
    Account,
    CommissionRate,
    Entry,
    EntryKind,
    LineCharge,
    Posting,
    SaleType,
    WithholdingRate,
)
from marketplace.settlements.rates import RateBook, percent_of
from producers.models import Producer, ProducerKind
from tests.marketplace.checkout.buying import checkout_for, sellable, three_producers

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SHIP = Fulfilment(carrier="GHN", tracking_number="GHN-777", cancel_reason="Hết hàng")
FLOW = (OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)


def delivered_sub(kind=ProducerKind.HO_KINH_DOANH, quantity=3, method=PaymentMethod.COD):
    product = three_producers()[0]
    Producer.objects.filter(pk=product.producer_id).update(kind=kind)
    order = complete_checkout(checkout_for([product], quantity=quantity).pk, method)
    sub = order.sub_orders.get()
    for status in FLOW:
        sub = set_sub_order_status(sub.pk, status, SHIP)
    return sub


def shipped_sub(quantity=1):
    product = three_producers()[0]
    order = complete_checkout(checkout_for([product], quantity=quantity).pk, PaymentMethod.COD)
    sub = order.sub_orders.get()
    for status in FLOW[:2]:
        sub = set_sub_order_status(sub.pk, status, SHIP)
    return sub


def posted(account, **tags) -> int:
    return Posting.objects.filter(account=account, **tags).aggregate(s=Sum("amount"))["s"] or 0


def test_percent_is_rounded_half_up_to_a_whole_dong_per_line():
    assert percent_of(33_333, Decimal("0.5")) == 167  # 166.665
    assert percent_of(33_300, Decimal("0.5")) == 167  # 166.5 rounds up
    assert percent_of(33_299, Decimal("0.5")) == 166  # 166.495
    assert percent_of(125_000, Decimal("1")) == 1250
    assert percent_of(0, Decimal("5")) == 0


def test_a_household_business_is_withheld_vat_and_pit_per_line_at_delivery():
    sub = delivered_sub(ProducerKind.HO_KINH_DOANH)
    (line,) = sub.lines.all()
    (charge,) = charges.charges_for([sub.pk])
    assert (charge.vat_percent, charge.pit_percent) == (Decimal("1"), Decimal("0.5"))
    assert charge.sale_type == SaleType.GOODS
    assert charge.base == line.line_total
    assert charge.vat == percent_of(line.line_total, Decimal("1"))
    assert charge.pit == percent_of(line.line_total, Decimal("0.5"))
    assert charge.commission == percent_of(line.line_total, Decimal("5"))
    assert posted(Account.VAT_WITHHELD, producer_id=sub.producer_id) == -charge.vat
    assert posted(Account.PIT_WITHHELD, producer_id=sub.producer_id) == -charge.pit
    assert posted(Account.COMMISSION_REVENUE, order_id=sub.order_id) == -charge.commission
    owed = sub.total - charge.commission - charge.vat - charge.pit
    assert posted(Account.PRODUCER_PAYABLE, producer_id=sub.producer_id) == -owed
    assert all_problems() == []


@pytest.mark.parametrize("kind", [ProducerKind.HOP_TAC_XA, ProducerKind.DOANH_NGHIEP])
def test_cooperatives_and_firms_are_not_withheld_but_pay_commission(kind):
    sub = delivered_sub(kind)
    (charge,) = charges.charges_for([sub.pk])
    assert (charge.vat, charge.pit) == (0, 0)
    assert charge.commission > 0
    kinds = set(Entry.objects.filter(order_id=sub.order_id).values_list("kind", flat=True))
    assert EntryKind.TAX_WITHHELD not in kinds and EntryKind.COMMISSION in kinds
    assert all_problems() == []


def test_a_delivery_reported_twice_charges_once():
    sub = delivered_sub()
    payments.delivered(sub)
    assert LineCharge.objects.filter(sub_order_id=sub.pk).count() == 1
    assert Entry.objects.filter(order_id=sub.order_id, kind=EntryKind.COMMISSION).count() == 1
    assert all_problems() == []


def test_a_seller_without_tax_code_is_still_delivered_and_withheld():
    """Paperwork never blocks a delivery; the tax list export names the seller instead."""
    product = three_producers()[0]
    Producer.objects.filter(pk=product.producer_id).update(tax_code="", national_id="")
    sub = delivered_sub(ProducerKind.CO_SO)
    assert sub.status == OrderStatus.DELIVERED
    assert charges.charges_for([sub.pk]).get().vat > 0


def test_tourism_services_are_withheld_at_the_services_rates():
    product = sellable(product_set__group_id=6).first()
    if product is None:
        pytest.skip("the sample catalog lists no tourism service")
    book = RateBook(Producer(pk=product.producer_id, kind=ProducerKind.HO_KINH_DOANH), _day(1, 7))
    assert book.tax(SaleType.SERVICES) == (Decimal("5"), Decimal("2"))


def _day(day, month, year=2026):
    return datetime.date(year, month, day)


def test_the_rate_in_force_on_the_delivery_day_applies_on_both_sides_of_a_change():
    sub = shipped_sub()
    producer = sub.producer
    CommissionRate.objects.create(
        producer=producer, percent=Decimal("7"), valid_from=_day(1, 1), valid_to=_day(31, 1)
    )
    CommissionRate.objects.create(producer=producer, percent=Decimal("9"), valid_from=_day(1, 2))
    last_minute = datetime.datetime(2026, 1, 31, 23, 59, tzinfo=VN)
    first_minute = datetime.datetime(2026, 2, 1, 0, 0, tzinfo=VN)  # 17:00 UTC on 31 January
    assert RateBook(producer, _day(31, 1)).commission(1) == Decimal("7")
    assert RateBook(producer, _day(1, 2)).commission(1) == Decimal("9")
    assert RateBook(producer, _day(31, 12, 2025)).commission(1) == Decimal("5")  # its group's
    sub.delivered_at = last_minute
    charges.post_for_delivery(sub)
    assert charges.charges_for([sub.pk]).get().commission_percent == Decimal("7")
    LineCharge.objects.filter(sub_order_id=sub.pk).delete()
    Entry.objects.filter(key=f"commission:{sub.pk}").delete()
    sub.delivered_at = first_minute
    charges.post_for_delivery(sub)
    (charge,) = charges.charges_for([sub.pk])
    assert charge.commission_percent == Decimal("9") and charge.on == _day(1, 2)


def test_withholding_before_the_decree_took_effect_is_none():
    producer = Producer(pk=1, kind=ProducerKind.HO_KINH_DOANH)
    assert RateBook(producer, _day(30, 6, 2025)).tax(SaleType.GOODS) == (0, 0)
    assert RateBook(producer, _day(1, 7, 2025)).tax(SaleType.GOODS) == (Decimal(1), Decimal("0.5"))


def test_overlapping_periods_of_one_scope_are_refused_adjacent_ones_accepted():
    WithholdingRate.objects.filter(seller_kind=ProducerKind.CO_SO, sale_type="goods").update(
        valid_to=_day(31, 12, 2026)
    )
    clash = WithholdingRate(
        seller_kind=ProducerKind.CO_SO,
        sale_type="goods",
        vat_percent=Decimal("1.5"),
        pit_percent=Decimal("0.5"),
        valid_from=_day(31, 12, 2026),
    )
    with pytest.raises(ValidationError) as exc:
        clash.full_clean()
    assert "Trùng thời gian áp dụng" in str(exc.value)
    clash.valid_from = _day(1, 1, 2027)
    clash.full_clean()  # the day after the old one's last day
    clash.save()
    backwards = WithholdingRate(
        seller_kind=ProducerKind.HO_KINH_DOANH,
        sale_type="other",
        vat_percent=1,
        pit_percent=1,
        valid_from=_day(2, 1, 2030),
        valid_to=_day(1, 1, 2030),
    )
    with pytest.raises(ValidationError) as exc:
        backwards.full_clean()
    assert "valid_to" in exc.value.message_dict
    # Another kind or type is another scope: no clash.
    WithholdingRate(
        seller_kind=ProducerKind.HOP_TAC_XA,
        sale_type="goods",
        vat_percent=0,
        pit_percent=0,
        valid_from=_day(1, 1, 2030),
    ).full_clean()


def test_a_commission_rate_names_a_group_or_a_producer_not_both():
    from django.db import IntegrityError, transaction

    producer = Producer.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        CommissionRate.objects.create(
            group_id=1, producer=producer, percent=1, valid_from=_day(1, 1, 2031)
        )


def test_a_full_return_gives_back_exactly_the_commission_and_tax_posted():
    sub = delivered_sub(quantity=3)
    (line,) = sub.lines.all()
    assert charges.reverse_for_return(sub, {line.pk: 3}, "return:1")
    for account in (Account.VAT_WITHHELD, Account.PIT_WITHHELD, Account.COMMISSION_REVENUE):
        assert posted(account, order_id=sub.order_id) == 0
    assert Entry.objects.get(key="commission-return:1").kind == EntryKind.COMMISSION
    assert Entry.objects.get(key="tax-return:1").kind == EntryKind.TAX_WITHHELD
    assert not charges.reverse_for_return(sub, {line.pk: 3}, "return:1")  # replayed
    assert all_problems() == []


def test_returns_in_steps_add_up_to_the_delivery_and_no_more():
    sub = delivered_sub(quantity=3)
    (line,) = sub.lines.all()
    sold = charges.charges_for([sub.pk]).get()
    charges.reverse_for_return(sub, {line.pk: 1}, "return:a")
    charges.reverse_for_return(sub, {line.pk: 1}, "return:b")
    step = LineCharge.objects.get(key="return:a")
    assert step.base == -line.unit_price and step.quantity == -1
    with pytest.raises(DomainError) as exc:
        charges.reverse_for_return(sub, {line.pk: 2}, "return:c")
    assert exc.value.code == SettlementError.RETURN_EXCEEDS_SALE
    assert not Entry.objects.filter(key__endswith="return:c").exists()
    charges.reverse_for_return(sub, {line.pk: 1}, "return:d")
    totals = LineCharge.objects.filter(sub_order_id=sub.pk).aggregate(
        c=Sum("commission"), v=Sum("vat"), p=Sum("pit"), b=Sum("base")
    )
    assert totals == {"c": 0, "v": 0, "p": 0, "b": 0}
    assert sold.vat > 0
    assert all_problems() == []


def test_charges_for_reads_many_sub_orders_in_one_query(django_assert_num_queries):
    subs = [delivered_sub(quantity=q) for q in (1, 2)]
    with django_assert_num_queries(1):
        rows = list(charges.charges_for([s.pk for s in subs]))
        assert [r.line.sku for r in rows]
    assert len(rows) == 2


def test_check_ledger_names_a_line_charge_that_differs_from_the_ledger():
    sub = delivered_sub()
    assert all_problems() == []
    LineCharge.objects.filter(sub_order_id=sub.pk).update(vat=1)
    problems = all_problems()
    assert [p.where for p in problems] == [sub.order.number]
    assert "vat theo dòng hàng 1 đồng" in problems[0].what
