"""Marketplace figures beside coverage: OCOP orders, units and revenue by ward, group and month.

Orders are placed through the checkout services; the expected figures are worked out here from
what each test bought (prices, producers' wards, product sets), not from the order tables.
"""

import csv
import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User

from marketplace.access import office_group
from marketplace.catalog.models import Product
from marketplace.checkout.models import Order, OrderStatus
from marketplace.checkout.services.checkout import LineRequest, create_checkout
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.coverage.sales import compute_sales, month_start, sales_period
from marketplace.coverage.services import today
from marketplace.errors import DomainError
from marketplace.money import format_vnd
from marketplace.payments.models import Payment, PaymentMethod, PaymentStatus
from marketplace.payments.services import receive
from marketplace.taxonomy.models import OcopGroup
from producers.models import Membership, Producer
from tests.marketplace.checkout.buying import hanoi_address, sellable

pytestmark = pytest.mark.django_db

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
PERIOD = (datetime.date(2026, 1, 1), datetime.date(2026, 10, 31))


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=VIETNAM)


@dataclass
class Placed:
    """An order as the test placed it: when, and (product, quantity, cancelled) per line."""

    at: datetime.datetime
    lines: list[tuple[Product, int, bool]] = field(default_factory=list)


PARCEL = Fulfilment(carrier="Viettel Post", tracking_number="VTP-0001")


def deliver(sub_order) -> None:
    """Through the fulfilment service: a COD sub-order's cash is collected on delivery."""
    for status in (OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
        set_sub_order_status(sub_order.pk, status, PARCEL)


def place(at: datetime.datetime, *lines: tuple[Product, int], cancel: Product | None = None):
    """Buy through the checkout services, date the order, cancel one producer's part if asked,
    and deliver the rest (cash on delivery: revenue once delivered)."""
    checkout = create_checkout(
        [LineRequest(p.sku, qty) for p, qty in lines],
        hanoi_address(),
        email="lan@example.vn",
    )
    order = complete_checkout(checkout.pk, PaymentMethod.COD)
    Order.objects.filter(pk=order.pk).update(created_at=at)
    if cancel is not None:
        sub = order.sub_orders.get(producer=cancel.producer)
        reason = Fulfilment(cancel_reason="Hết hàng, xin lỗi quý khách.")
        set_sub_order_status(sub.pk, OrderStatus.CANCELLED, reason)
    for sub in order.sub_orders.exclude(status=OrderStatus.CANCELLED):
        deliver(sub)
    cancelled = {cancel.producer_id} if cancel else set()
    return Placed(at, [(p, qty, p.producer_id in cancelled) for p, qty in lines])


def expected(placed: list[Placed], date_from: datetime.date, date_to: datetime.date) -> dict:
    """The figures worked out by hand: {breakdown: {key: (label, orders, units, revenue)}}."""
    orders, units, revenue = defaultdict(set), defaultdict(int), defaultdict(int)
    labels = {}
    for number, order in enumerate(placed):
        day = order.at.astimezone(VIETNAM).date()
        if not date_from <= day <= date_to:
            continue
        for product, qty, cancelled in order.lines:
            if cancelled or product.certificate_id is None:
                continue
            ward = product.producer.ward
            group = product.product_set.group
            keys = {
                ("ward", ward.code): ward.name,
                ("group", str(group.number)): group.name,
                ("month", f"{day:%Y-%m}"): f"{day:%m/%Y}",
                ("total", ""): "",
            }
            for key, label in keys.items():
                labels[key] = label
                orders[key].add(number)
                units[key] += qty
                revenue[key] += product.price * qty
    figures = defaultdict(dict)
    for (breakdown, key), label in labels.items():
        figures[breakdown][key] = (label, len(orders[breakdown, key]), units[breakdown, key],
                                   revenue[breakdown, key])  # fmt: skip
    return figures


def as_dict(rows) -> dict:
    return {r.key: (r.label, r.orders, r.units, r.revenue) for r in rows}


def without_zeros(rows) -> dict:
    return {k: v for k, v in as_dict(rows).items() if v[1]}


@pytest.fixture
def products():
    """Two OCOP products of group 1 from different producers, one of another group, and one
    whose certificate was taken off (not OCOP any more), each from its own producer."""
    picked, producers = {}, set()

    def take(name, **filters):
        for product in sellable(**filters).select_related("product_set__group", "producer__ward"):
            if product.producer_id not in producers:
                producers.add(product.producer_id)
                picked[name] = product
                return
        raise AssertionError(f"the sample catalog has no product for {name}")

    take("a", product_set__group_id=1)
    take("b", product_set__group_id=1)
    take("c", product_set__group__number__gt=1)
    take("plain", product_set__group_id=1)
    Product.objects.filter(pk=picked["plain"].pk).update(certificate=None)
    picked["plain"].certificate_id = None
    return picked


@pytest.fixture
def placed(products):
    a, b, c, plain = products["a"], products["b"], products["c"], products["plain"]
    return [
        place(local(2026, 3, 10, 10, 0), (a, 2), (c, 1)),
        # 23:30 on 31 October in Vietnam is still October (16:30 UTC).
        place(local(2026, 10, 31, 23, 30), (a, 1), (b, 3)),
        # 00:30 on 1 November in Vietnam is 31 October in UTC: November, outside the period.
        place(local(2026, 11, 1, 0, 30), (b, 1)),
        # c's part cancelled: only a's line counts.
        place(local(2026, 5, 5, 9, 0), (a, 1), (c, 2), cancel=c),
        # Nothing OCOP in it: the order does not count at all.
        place(local(2026, 6, 1, 8, 0), (plain, 4)),
        # A mixed order counts for its OCOP line only.
        place(local(2026, 6, 2, 8, 0), (plain, 1), (b, 2)),
        # One minute before the period.
        place(local(2025, 12, 31, 23, 59), (a, 1)),
    ]


def test_every_row_of_every_breakdown_matches_the_hand_count(placed):
    sales = compute_sales(*PERIOD)
    want = expected(placed, *PERIOD)
    assert (sales.orders, sales.units, sales.revenue) == want["total"][""][1:]
    assert (sales.orders, sales.units) == (4, 3 + 4 + 1 + 2)  # March, October, May, June
    assert as_dict(sales.by_ward) == want["ward"]
    assert without_zeros(sales.by_group) == want["group"]
    assert without_zeros(sales.by_month) == want["month"]
    # Breakdowns of units and revenue add up to the totals (orders may span groups).
    for rows in (sales.by_ward, sales.by_group, sales.by_month):
        assert sum(r.revenue for r in rows) == sales.revenue
        assert sum(r.units for r in rows) == sales.units


def test_rows_are_complete_and_ordered(placed):
    sales = compute_sales(*PERIOD)
    assert [r.key for r in sales.by_group] == [
        str(n) for n in OcopGroup.objects.order_by("number").values_list("number", flat=True)
    ]
    assert len(sales.by_group) == 6
    assert [r.key for r in sales.by_month] == [f"2026-{m:02d}" for m in range(1, 11)]
    assert sales.by_month[0].label == "01/2026" and sales.by_month[0].revenue == 0
    revenues = [r.revenue for r in sales.by_ward]
    assert revenues == sorted(revenues, reverse=True)


def test_month_boundaries_follow_vietnamese_time(placed, products):
    sales = compute_sales(datetime.date(2026, 10, 1), datetime.date(2026, 11, 30))
    by_month = as_dict(sales.by_month)
    a, b = products["a"], products["b"]
    assert by_month["2026-10"][1:] == (1, 4, a.price + 3 * b.price)
    assert by_month["2026-11"][1:] == (1, 1, b.price)
    one_day = compute_sales(datetime.date(2026, 11, 1), datetime.date(2026, 11, 1))
    assert (one_day.orders, one_day.revenue) == (1, b.price)


def test_shipping_is_not_revenue(placed):
    sales = compute_sales(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    order = Order.objects.get(created_at=local(2026, 3, 10, 10, 0))
    assert order.shipping_total > 0
    assert sales.revenue == order.subtotal != order.total


def test_each_breakdown_is_one_grouped_query(placed, products, django_assert_num_queries):
    # totals, wards, groups sold, the six group names, months: five, however many orders
    with django_assert_num_queries(5):
        first = compute_sales(*PERIOD)
    for _ in range(3):
        place(local(2026, 7, 1, 12, 0), (products["a"], 1), (products["c"], 1))
    with django_assert_num_queries(5):
        second = compute_sales(*PERIOD)
    assert second.orders == first.orders + 3


def _bought(method: str, *lines: tuple[Product, int]) -> Order:
    checkout = create_checkout(
        [LineRequest(p.sku, qty) for p, qty in lines], hanoi_address(), email="lan@example.vn"
    )
    order = complete_checkout(checkout.pk, method)
    Order.objects.filter(pk=order.pk).update(created_at=local(2026, 4, 1, 9, 0))
    return order


def _revenue() -> int:
    return compute_sales(*PERIOD).revenue


def test_revenue_counts_paid_orders_only(products):
    """Prepaid: once paid in full (reconciled / captured). COD: each part once delivered."""
    a, b = products["a"], products["b"]

    transfer = _bought(PaymentMethod.VIETQR, (a, 1))
    assert _revenue() == 0  # waiting for the transfer
    receive(transfer.payment, transfer.total - 1000, "bank:partial")
    assert _revenue() == 0  # partly paid is not paid
    receive(transfer.payment, 1000, "bank:rest")
    assert _revenue() == a.price

    failed = _bought(PaymentMethod.VIETQR, (b, 2))
    Payment.objects.filter(pk=failed.payment.pk).update(status=PaymentStatus.FAILED)
    assert _revenue() == a.price  # a failed payment is no sale

    cod = _bought(PaymentMethod.COD, (a, 2), (b, 1))
    first, second = cod.sub_orders.order_by("producer__code")
    set_sub_order_status(first.pk, OrderStatus.CONFIRMED)
    set_sub_order_status(first.pk, OrderStatus.SHIPPED, PARCEL)
    assert _revenue() == a.price  # on its way: the courier has not collected anything
    set_sub_order_status(first.pk, OrderStatus.DELIVERED)
    first_revenue = sum(line.line_total for line in first.lines.all())
    assert _revenue() == a.price + first_revenue  # only the delivered part
    deliver(second)
    assert _revenue() == a.price + 2 * a.price + b.price
    assert compute_sales(*PERIOD).orders == 2


def test_the_default_period_is_the_last_twelve_months():
    day = today()
    assert sales_period(None, None) == (month_start(day, 11), day)
    assert sales_period(None, datetime.date(2026, 2, 14)) == (
        datetime.date(2025, 3, 1),
        datetime.date(2026, 2, 14),
    )
    sales = compute_sales()
    assert len(sales.by_month) == 12 and sales.by_month[-1].key == f"{day:%Y-%m}"
    assert sales.orders == 0 and sales.revenue == 0


@pytest.mark.parametrize(
    "days",
    [
        (datetime.date(2026, 5, 2), datetime.date(2026, 5, 1)),
        (datetime.date(2010, 1, 1), datetime.date(2026, 5, 1)),
    ],
)
def test_a_bad_period_is_refused(days):
    with pytest.raises(DomainError) as caught:
        sales_period(*days)
    assert (caught.value.code, caught.value.field) == ("INVALID", "date_from")


# --- GraphQL ---------------------------------------------------------------------------------

SALES_QUERY = """query($from: Date, $to: Date) { ocopSales(dateFrom: $from, dateTo: $to) {
  dateFrom dateTo orders units revenue { amount currency }
  byWard { key label orders units revenue { amount currency } }
  byGroup { key label orders units revenue { amount currency } }
  byMonth { key label orders units revenue { amount currency } } } }"""


def _user(role: str):
    if role == "anonymous":
        return None
    if role == "superuser":
        return User.objects.create_superuser("quan-tri", password="x")
    user = User.objects.create_user(role, is_staff=role == "django_staff")
    if role == "office":
        user.groups.add(office_group())
    if role == "producer_member":
        Membership.objects.create(user=user, producer=Producer.objects.get(code="AG0001"))
    return user


@pytest.mark.parametrize(
    "role, allowed",
    [
        ("anonymous", False),
        ("shopper", False),
        ("producer_member", False),
        ("django_staff", False),
        ("office", True),
        ("superuser", True),
    ],
)
def test_graphql_access(client, graphql, role, allowed):
    user = _user(role)
    if user is not None:
        client.force_login(user)
    body = graphql(SALES_QUERY, {"from": "2026-01-01", "to": "2026-10-31"})
    if allowed:
        assert "errors" not in body
        assert body["data"]["ocopSales"]["dateTo"] == "2026-10-31"
    else:
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["PERMISSION_DENIED"]


def test_graphql_figures(client, graphql, placed):
    client.force_login(_user("office"))
    body = graphql(SALES_QUERY, {"from": "2026-01-01", "to": "2026-10-31"})
    assert "errors" not in body, body
    data = body["data"]["ocopSales"]
    want = expected(placed, *PERIOD)

    def rows(items):
        assert all(i["revenue"]["currency"] == "VND" for i in items)
        return {
            i["key"]: (i["label"], i["orders"], i["units"], i["revenue"]["amount"])
            for i in items
            if i["orders"]
        }

    assert (data["orders"], data["units"], data["revenue"]["amount"]) == want["total"][""][1:]
    assert rows(data["byWard"]) == want["ward"]
    assert rows(data["byGroup"]) == want["group"]
    assert rows(data["byMonth"]) == want["month"]
    assert len(data["byMonth"]) == 10


def test_graphql_bad_period(client, graphql):
    client.force_login(_user("office"))
    body = graphql(SALES_QUERY, {"from": "2026-05-02", "to": "2026-05-01"})
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "INVALID", "field": "dateFrom"}


# --- dashboard and exports -------------------------------------------------------------------


@pytest.fixture
def office_client(client):
    client.force_login(_user("office"))
    return client


def test_dashboard_shows_the_sales(office_client, placed, django_assert_max_num_queries):
    want = expected(placed, *PERIOD)["total"][""]
    with django_assert_max_num_queries(20):
        response = office_client.get("/office/?tu=2026-01-01&den=2026-10-31")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Doanh số sản phẩm OCOP trên sàn" in html
    assert f"{want[1]} đơn, {want[2]} sản phẩm OCOP, doanh thu {format_vnd(want[3])}" in html
    assert "Từ 01/01/2026 đến 31/10/2026" in html
    assert 'aria-label="Doanh thu OCOP theo tháng"' in html
    assert "/office/xuat/doanh-so-thang.csv?tu=2026-01-01&amp;den=2026-10-31" in html


def test_dashboard_bad_sales_dates_fall_back_to_twelve_months(office_client):
    response = office_client.get("/office/?tu=2026-13-01", follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ngày &#x27;2026-13-01&#x27; không hợp lệ" in html
    assert f"đến {today():%d/%m/%Y}" in html
    reversed_days = office_client.get("/office/?tu=2026-05-02&den=2026-05-01")
    assert "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc." in reversed_days.content.decode()


def test_csv_exports_match_the_figures(office_client, placed):
    want = expected(placed, *PERIOD)
    query = "tu=2026-01-01&den=2026-10-31"

    def table(slug):
        response = office_client.get(f"/office/xuat/{slug}.csv?{query}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert f"ocop-{slug}-2026-01-01-2026-10-31.csv" in response["Content-Disposition"]
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    def keyed(rows):
        return {r[0]: (r[1], int(r[2]), int(r[3]), int(r[4])) for r in rows[1:] if r[2] != "0"}

    wards = table("doanh-so-xa-phuong")
    assert wards[0] == ["Mã xã/phường", "Tên", "Số đơn", "Số lượng", "Doanh thu (đồng)"]
    assert keyed(wards) == want["ward"]
    assert keyed(table("doanh-so-nhom")) == want["group"]
    assert keyed(table("doanh-so-thang")) == want["month"]
    total = table("doanh-so-tong-hop")
    assert total[1] == ["01/01/2026", "31/10/2026", *(str(v) for v in want["total"][""][1:])]


def test_xlsx_exports(office_client, placed):
    from openpyxl import load_workbook

    want = expected(placed, *PERIOD)
    response = office_client.get("/office/xuat/doanh-so-nhom.xlsx?tu=2026-01-01&den=2026-10-31")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Doanh số theo nhóm"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=2, values_only=True) if r[2]}
    assert rows == want["group"]
    assert sheet.cell(row=2, column=5).number_format == "#,##0"

    everything = office_client.get("/office/xuat/tat-ca.xlsx?tu=2026-01-01&den=2026-10-31")
    workbook = load_workbook(io.BytesIO(everything.content))
    assert {
        "Doanh số tổng hợp",
        "Doanh số theo xã-phường",
        "Doanh số theo nhóm",
        "Doanh số theo tháng",
        "Theo nhóm sản phẩm",
    } <= set(workbook.sheetnames)
    summary = workbook["Doanh số tổng hợp"]
    assert summary["A2"].value.date() == datetime.date(2026, 1, 1)
    assert summary["E2"].value == want["total"][""][3]


def test_sales_exports_are_for_office_staff_only(client):
    response = client.get("/office/xuat/doanh-so-thang.csv")
    assert response.status_code == 302 and "/office/dang-nhap/" in response["Location"]
    client.force_login(_user("shopper"))
    assert client.get("/office/xuat/doanh-so-thang.csv").status_code == 403
