"""Đối soát from a phone (Chromium at 360 × 740): the owner opens the statements, one
statement, downloads its XLSX, and after staff mark the payout batch paid sees "Đã thanh
toán". No page scrolls sideways."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from marketplace.catalog.models import Product
from marketplace.catalog.stock import set_stock
from marketplace.checkout.models import Checkout, OrderLineLot, OrderStatus
from marketplace.checkout.services.checkout import LineRequest, create_checkout
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.payments import payouts
from marketplace.payments.models import PaymentMethod
from marketplace.settlements import statements
from marketplace.settlements.models import (
    Entry,
    LineCharge,
    PayoutAccount,
    PayoutBatch,
    PayoutItem,
    Statement,
    StatementEvent,
)
from producers.models import MemberRole, Membership, Producer
from tests.e2e.widths import assert_fits
from tests.marketplace.checkout.buying import hanoi_address

pytestmark = pytest.mark.e2e

PHONE_NUMBER = "+84905112244"
PASSWORD = "Doi-soat-Chau-Doc-2026"
SHIP = Fulfilment(carrier="GHN", tracking_number="GHN-E2E-1", cancel_reason="Hết hàng")


def _last_week(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=7)


@pytest.fixture
def statement(transactional_db):
    """A committed owner of AG0001 and last week's statement of one COD delivery; all removed
    after (the statement tables' PostgreSQL trigger is lifted for that, as an owner would)."""
    producer = Producer.objects.get(code="AG0001")
    product = Product.objects.filter(producer=producer).order_by("sku").first()
    stock_before = product.stock_quantity
    user = get_user_model().objects.create_user(PHONE_NUMBER, password=PASSWORD)
    Membership.objects.create(user=user, producer=producer, role=MemberRole.OWNER)
    real_now = timezone.now
    with pytest.MonkeyPatch.context() as clock:
        clock.setattr(timezone, "now", lambda: _last_week(real_now()))
        checkout = create_checkout([LineRequest(product.sku, 2)], hanoi_address(), email="a@x.vn")
        order = complete_checkout(checkout.pk, PaymentMethod.COD)
        sub = order.sub_orders.get()
        for status in (OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            sub = set_sub_order_status(sub.pk, status, SHIP)
    issued = statements.issue(producer.pk, statements.last_closed_period())
    yield issued
    _lifted_delete(issued)
    Entry.objects.filter(producer=producer, kind="payout").delete()
    PayoutAccount.objects.filter(producer=producer).delete()
    OrderLineLot.objects.filter(line__sub_order__order=order).delete()
    Entry.objects.filter(order=order).delete()
    LineCharge.objects.filter(sub_order__order=order).delete()
    order.delete()
    Checkout.objects.filter(pk=checkout.pk).delete()
    set_stock(product, stock_before)
    user.delete()


def _lifted_delete(statement):
    tables = ("settlements_statement", "settlements_statementevent")
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for table in tables if postgresql else ():
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            batches = list(PayoutItem.objects.filter(statement=statement).values("batch_id"))
            PayoutItem.objects.filter(statement=statement).delete()
            PayoutBatch.objects.filter(pk__in=[b["batch_id"] for b in batches]).delete()
            StatementEvent.objects.filter(statement=statement).delete()
            Statement.objects.filter(pk=statement.pk).delete()
        finally:
            for table in tables if postgresql else ():
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def test_owner_reads_a_statement_downloads_it_and_sees_it_paid(
    live_server, statement, phone, screenshot, tmp_path
):
    page = phone
    page.goto(live_server.url + "/portal/dang-nhap/")
    page.get_by_label("Số điện thoại hoặc email").fill("0905 112 244")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/portal/")
    page.get_by_role("link", name="Đối soát", exact=True).click()
    card = page.locator(f"#statement-{statement.pk}")
    card.wait_for()
    assert "Đã phát hành" in card.inner_text() and statement.number in card.inner_text()
    assert_fits(page)
    screenshot("1-statements")

    card.click()
    page.get_by_role("heading", name=statement.number).wait_for()
    assert "Chi tiết theo dòng hàng" in page.content()
    assert_fits(page)
    screenshot("2-statement")
    with page.expect_download() as download:
        page.locator("#statement-xlsx").click()
    saved = tmp_path / "doi-soat.xlsx"
    download.value.save_as(saved)
    book = load_workbook(io.BytesIO(saved.read_bytes()))
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True)}
    assert summary["Thực nhận"] == statement.net

    # Staff pay the week: the producer's account, a batch, the bank's reference.
    staff = get_user_model().objects.create_user("+84900000077", password="x", is_staff=True)
    try:
        owner = get_user_model().objects.get(username=PHONE_NUMBER)
        payouts.set_payout_account(
            owner, statement.producer, "970436", "0071001234567", "Nguyen Van An"
        )
        batch = payouts.create_batch(staff, [statement.pk])
        payouts.mark_paid(staff, batch.pk, "FT-E2E-0001")
    finally:
        PayoutBatch.objects.filter(paid_by=staff).update(paid_by=None, created_by=None)
        staff.delete()
    page.reload()
    page.locator("#statement-status").get_by_text("Đã thanh toán").wait_for()
    assert_fits(page)
    screenshot("3-paid")
