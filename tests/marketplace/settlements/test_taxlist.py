"""The monthly tax-withheld list: its totals are the ledger's, its files open and validate, and
it refuses to name a seller the tax office cannot identify."""

import io
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.utils import timezone
from lxml import etree
from openpyxl import load_workbook

from marketplace.checkout.models import OrderLine, OrderStatus
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.errors import DomainError
from marketplace.payments.models import PaymentMethod
from marketplace.settlements import charges, taxlist
from marketplace.settlements.errors import SettlementError
from marketplace.settlements.models import Account, EntryKind, Posting
from producers.models import Producer, ProducerKind
from tests.marketplace.checkout.buying import checkout_for, three_producers
from tests.marketplace.settlements.conftest import refused

pytestmark = pytest.mark.django_db

PAGE = "/admin/settlements/linecharge/thue-khau-tru/"
NS = {"t": taxlist.NAMESPACE}
SHIP = Fulfilment(carrier="GHN", tracking_number="GHN-1")


def this_month() -> taxlist.Month:
    today = timezone.localdate()
    return taxlist.Month(today.year, today.month)


@pytest.fixture
def month_of_sales(settings):
    """Three sellers: a household business and a production unit (withheld), a cooperative
    (not); two orders each, one unit of the household's returned."""
    settings.PLATFORM_TAX_CODE = "1602345678"
    products = three_producers()
    kinds = [ProducerKind.HO_KINH_DOANH, ProducerKind.CO_SO, ProducerKind.HOP_TAC_XA]
    for product, kind in zip(products, kinds, strict=True):
        Producer.objects.filter(pk=product.producer_id).update(kind=kind)
    Producer.objects.filter(pk=products[1].producer_id).update(tax_code="", national_id="")
    subs = []
    for quantity in (3, 2):
        order = complete_checkout(checkout_for(products, quantity=quantity).pk, PaymentMethod.COD)
        for sub in order.sub_orders.order_by("pk"):
            for status in (OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
                sub = set_sub_order_status(sub.pk, status, SHIP)
            subs.append(sub)
    household = next(s for s in subs if s.producer_id == products[0].producer_id)
    line = household.lines.get()
    charges.reverse_for_return(household, {line.pk: 1}, "return:t1")
    return {"products": products, "subs": subs, "returned": line}


def _from_ledger(month) -> dict[int, tuple[int, int]]:
    """VAT and PIT credited per producer by entries of the month: no code of taxlist used."""
    sums = defaultdict(lambda: [0, 0])
    for account, slot in ((Account.VAT_WITHHELD, 0), (Account.PIT_WITHHELD, 1)):
        rows = (
            Posting.objects.filter(account=account, entry__kind=EntryKind.TAX_WITHHELD)
            .filter(
                entry__created_at__date__gte=month.first, entry__created_at__date__lte=month.last
            )
            .values("producer_id")
            .annotate(s=Sum("amount"))
        )
        for row in rows:
            sums[row["producer_id"]][slot] = -row["s"]
    return {k: tuple(v) for k, v in sums.items()}


def _revenue_from_orders(producer_id) -> int:
    """Goods delivered by the producer this month, less the unit returned, from the orders."""
    lines = OrderLine.objects.filter(
        sub_order__producer_id=producer_id, sub_order__status=OrderStatus.DELIVERED
    )
    return lines.aggregate(s=Sum("line_total"))["s"]


def test_the_totals_are_the_ledgers_and_cooperatives_are_not_listed(month_of_sales):
    products, returned = month_of_sales["products"], month_of_sales["returned"]
    listed = taxlist.for_month(this_month())
    per_producer = defaultdict(lambda: [0, 0])
    for row in listed.rows:
        per_producer[row.producer_id][0] += row.vat
        per_producer[row.producer_id][1] += row.pit
    assert {k: tuple(v) for k, v in per_producer.items()} == _from_ledger(this_month())
    assert products[2].producer_id not in per_producer  # the cooperative
    assert (
        listed.vat
        == -Posting.objects.filter(account=Account.VAT_WITHHELD).aggregate(s=Sum("amount"))["s"]
    )
    revenue = {r.producer_id: r.revenue for r in listed.rows}
    household, unit = products[0].producer_id, products[1].producer_id
    assert revenue[household] == _revenue_from_orders(household) - returned.unit_price
    assert revenue[unit] == _revenue_from_orders(unit)
    assert listed.vat > 0 and listed.pit > 0


def test_another_month_lists_nothing(month_of_sales):
    assert taxlist.for_month(taxlist.Month(2025, 6)).rows == []


def test_the_files_are_refused_until_each_seller_has_a_tax_code_or_citizen_id(month_of_sales):
    unit = Producer.objects.get(pk=month_of_sales["products"][1].producer_id)
    listed = taxlist.for_month(this_month())
    for build in (taxlist.to_xlsx, taxlist.to_xml):
        with pytest.raises(DomainError) as exc:
            build(listed)
        assert exc.value.code == SettlementError.MISSING_TAX_ID
        assert unit.name in exc.value.message and unit.code in exc.value.message
    Producer.objects.filter(pk=unit.pk).update(national_id="089123456789")
    taxlist.to_xlsx(taxlist.for_month(this_month()))


def test_the_xlsx_opens_with_a_row_per_seller_and_the_ledgers_totals(month_of_sales):
    Producer.objects.filter(pk=month_of_sales["products"][1].producer_id).update(
        national_id="089123456789"
    )
    listed = taxlist.for_month(this_month())
    sheet = load_workbook(io.BytesIO(taxlist.to_xlsx(listed))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(taxlist.HEADERS)
    assert len(rows) == 1 + len(listed.rows) + 1
    assert rows[-1][7:] == (listed.revenue, listed.vat, listed.pit)
    assert {r[4] for r in rows[1:-1]} >= {"089123456789"}
    assert sheet.freeze_panes == "A2"
    assert sheet.cell(row=2, column=9).number_format == "#,##0"


def test_the_xml_validates_and_carries_the_same_figures(month_of_sales, settings):
    Producer.objects.filter(pk=month_of_sales["products"][1].producer_id).update(
        national_id="089123456789"
    )
    listed = taxlist.for_month(this_month())
    document = etree.fromstring(taxlist.to_xml(listed))
    taxlist.schema().assertValid(document)
    assert document.findtext(".//t:NNT/t:mst", namespaces=NS) == "1602345678"
    assert int(document.findtext(".//t:tongThueGTGT", namespaces=NS)) == listed.vat
    assert int(document.findtext(".//t:tongThueTNCN", namespaces=NS)) == listed.pit
    details = document.findall(".//t:ChiTiet", namespaces=NS)
    assert sum(int(d.findtext("t:thueGTGT", namespaces=NS)) for d in details) == listed.vat
    assert document.findtext(".//t:soCCCD", namespaces=NS) == "089123456789"
    assert document.findtext(".//t:kyKKhai", namespaces=NS) == (
        f"{listed.month.month:02}/{listed.month.year}"
    )
    # The schema is not a formality: a detail row without the seller's identity fails it.
    identity = details[0].find("t:mstNguoiBan", namespaces=NS)
    if identity is None:
        identity = details[0].find("t:soCCCD", namespaces=NS)
    details[0].remove(identity)
    assert not taxlist.schema().validate(document)
    settings.PLATFORM_TAX_CODE = ""
    with pytest.raises(DomainError) as exc:
        taxlist.to_xml(listed)
    assert "PLATFORM_TAX_CODE" in exc.value.message


@pytest.mark.parametrize("text", ["2026-13", "tháng 11", "", "2026"])
def test_a_month_that_is_not_one_is_refused(text):
    with pytest.raises(DomainError) as exc:
        taxlist.Month.parse(text)
    assert exc.value.code == SettlementError.INVALID_MONTH


def test_the_list_is_one_query(month_of_sales, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert taxlist.for_month(this_month()).rows


@pytest.mark.parametrize("role", ["anonymous", "shopper", "owner", "other_owner", "office"])
@pytest.mark.parametrize("query", ["", "?tep=xlsx", "?tep=xml"])
def test_only_staff_reach_the_tax_list(clients, role, query):
    assert refused(clients[role].get(PAGE + query))


def test_staff_see_the_flagged_seller_and_download_once_it_is_fixed(clients, month_of_sales):
    staff, month = clients["staff"], this_month()
    page = staff.get(f"{PAGE}?thang={month}")
    html = page.content.decode()
    assert page.status_code == 200 and "Thiếu mã số thuế / số căn cước" in html
    refused_file = staff.get(f"{PAGE}?thang={month}&tep=xlsx", follow=True)
    assert "chưa có mã số thuế hay số căn cước" in refused_file.content.decode()
    Producer.objects.filter(pk=month_of_sales["products"][1].producer_id).update(
        national_id="089123456789"
    )
    download = staff.get(f"{PAGE}?thang={month}&tep=xml")
    assert download.status_code == 200
    assert f"thue-khau-tru-{month}.xml" in download["Content-Disposition"]
    etree.fromstring(download.content)
    assert staff.get(f"{PAGE}?thang=2026-99").status_code == 200  # says so, shows last month


def test_the_command_writes_the_file_or_names_what_is_missing(month_of_sales, tmp_path):
    month = str(this_month())
    with pytest.raises(CommandError) as exc:
        call_command("tax_list", month, "--output", str(tmp_path / "a.xlsx"))
    assert "số căn cước" in str(exc.value)
    Producer.objects.filter(pk=month_of_sales["products"][1].producer_id).update(
        national_id="089123456789"
    )
    out = tmp_path / "a.xml"
    call_command("tax_list", month, "--format", "xml", "--output", str(out))
    taxlist.schema().assertValid(etree.parse(str(out)))
