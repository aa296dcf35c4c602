"""Portal "Đối soát": the member's producer's statements, one statement, its XLSX and PDF; the
payout account on the profile page; staff's admin pages with the same downloads."""

import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from marketplace.access import office_group
from marketplace.payments import payouts
from marketplace.settlements import statements
from marketplace.settlements.models import PayoutAccount, Statement
from tests.marketplace.settlements.statement_world import (
    WEEK1,
    WEEK2,
    at,
    delivered,
    household,
)

pytestmark = pytest.mark.django_db

LIST = "/portal/doi-soat/"


@pytest.fixture
def statement(clock, product):
    household(product)
    clock(at(WEEK1.start))
    delivered([product], quantity=2)
    clock(at(WEEK2.start))
    (issued,) = statements.issue_all()
    return issued


@pytest.fixture
def people(owner, other_owner, shopper, staff_member):
    user_model = get_user_model()
    office = user_model.objects.create_user(username="+84900000002", password="x")
    office.groups.add(office_group())
    staff = user_model.objects.create_user(
        username="+84900000001", password="x", is_staff=True, is_superuser=True
    )
    return {
        "anonymous": None,
        "shopper": shopper,
        "other_producer": other_owner,
        "member": staff_member,
        "owner": owner,
        "staff": staff,
        "office": office,
    }


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


# Who gets what: a member of the statement's producer and staff see it; a member of another
# producer gets 404 (it is not theirs to know about); others are refused.
EXPECTED = {
    "anonymous": 302,
    "shopper": 403,
    "office": 403,
    "other_producer": 404,
    "member": 200,
    "owner": 200,
    "staff": 200,
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_authorization_matrix_for_the_statement_pages(client, people, statement, who):
    base = f"/portal/doi-soat/{statement.pk}/"
    for url in (base, base + "bang-doi-soat.xlsx", base + "bang-doi-soat.pdf"):
        response = _get(client, people[who], url)
        assert response.status_code == EXPECTED[who], (who, url)
        if who == "anonymous":
            assert "/portal/dang-nhap/" in response["Location"]
    listing = _get(client, people[who], LIST)
    assert listing.status_code == (200 if EXPECTED[who] in (200, 404) else EXPECTED[who])
    if listing.status_code == 200:
        assert (statement.number in listing.content.decode()) == (EXPECTED[who] == 200)


STAFF_PAGES = [
    "/admin/settlements/statement/",
    "/admin/settlements/statement/{pk}/bang-doi-soat.xlsx",
    "/admin/settlements/statement/{pk}/bang-doi-soat.pdf",
    "/admin/settlements/payoutbatch/",
]


@pytest.mark.parametrize("who", ["anonymous", "shopper", "office", "other_producer", "owner"])
def test_the_staff_pages_refuse_everyone_else(client, people, statement, who):
    for url in STAFF_PAGES:
        response = _get(client, people[who], url.format(pk=statement.pk))
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_staff_see_every_statement_and_its_files_in_the_admin(client, people, statement):
    for url in STAFF_PAGES:
        assert _get(client, people["staff"], url.format(pk=statement.pk)).status_code == 200


def test_the_xlsx_and_pdf_carry_the_figures_and_the_lines(client, owner, statement):
    client.force_login(owner)
    base = f"/portal/doi-soat/{statement.pk}/"
    xlsx = client.get(base + "bang-doi-soat.xlsx")
    assert statement.number in xlsx["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True)}
    assert summary["Thực nhận"] == statement.net
    assert summary["Tiền hàng đã giao"] == statement.goods
    detail = list(book["Chi tiết"].iter_rows(values_only=True))
    assert detail[0][1] == "Mã đơn" and len(detail) == 2 and detail[1][3] == 2
    pdf = client.get(base + "bang-doi-soat.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_list_and_the_detail_take_a_fixed_number_of_queries(
    client, owner, clock, product, django_assert_max_num_queries
):
    household(product)
    for week in range(3):
        day = WEEK1.start.replace(day=WEEK1.start.day + 7 * week)
        clock(at(day))
        delivered([product], quantity=1)
        delivered([product], quantity=2)
    clock(at(WEEK2.end.replace(day=24)))
    issued = statements.issue_all()
    assert len(issued) == 3
    client.force_login(owner)
    with django_assert_max_num_queries(8):
        page = client.get(LIST)
    assert all(s.number in page.content.decode() for s in issued)
    with django_assert_max_num_queries(8):
        assert client.get(f"/portal/doi-soat/{issued[0].pk}/").status_code == 200


def test_paid_shows_once_staff_mark_the_batch_paid(client, owner, people, statement):
    staff = people["staff"]
    client.force_login(owner)
    assert "Đã phát hành" in client.get(LIST).content.decode()
    payouts.set_payout_account(owner, statement.producer, "970436", "0071001234567", "Le Thi Hoa")
    batch = payouts.create_batch(staff, [statement.pk])
    client.force_login(staff)
    csv_page = client.get(f"/admin/settlements/payoutbatch/{batch.pk}/chuyen-khoan.csv")
    assert csv_page.content.decode().splitlines()[1].startswith("0071001234567,970436,")
    response = client.post(
        f"/admin/settlements/payoutbatch/{batch.pk}/da-chuyen/", {"bank_reference": "FT0001"}
    )
    assert response.status_code == 302
    client.force_login(owner)
    assert "Đã thanh toán" in client.get(f"/portal/doi-soat/{statement.pk}/").content.decode()


def test_staff_create_a_batch_from_the_admin_list(client, people, owner, statement):
    payouts.set_payout_account(owner, statement.producer, "970436", "0071001234567", "Le Thi Hoa")
    client.force_login(people["staff"])
    response = client.post(
        "/admin/settlements/statement/",
        {"action": "create_batch", "_selected_action": [statement.pk]},
    )
    assert response.status_code == 302
    assert Statement.objects.get().payout.amount == statement.net


PROFILE = "/portal/ho-so-thue/"


def test_the_owner_saves_the_payout_account_on_the_profile_page(client, owner, producer):
    client.force_login(owner)
    page = client.get(PROFILE)
    assert "Tài khoản nhận tiền" in page.content.decode()
    bad = client.post(
        PROFILE,
        {"form": "payout", "bank_bin": "970436", "account_number": "12", "holder_name": "Le"},
    )
    assert "Số tài khoản gồm 6 đến 19 chữ số" in bad.content.decode()
    assert not PayoutAccount.objects.exists()
    good = client.post(
        PROFILE,
        {
            "form": "payout",
            "bank_bin": "970436",
            "account_number": "0071 001 234567",
            "holder_name": "Lê Thị Hoa",
        },
    )
    assert good.status_code == 302
    assert PayoutAccount.objects.get(producer=producer).holder_name == "LE THI HOA"


@pytest.mark.parametrize("who", ["member", "other_producer"])
def test_a_member_who_is_not_the_owner_cannot_set_the_account(client, people, producer, who):
    client.force_login(people[who])
    client.post(
        PROFILE,
        {
            "form": "payout",
            "bank_bin": "970436",
            "account_number": "0071001234567",
            "holder_name": "Le Thi Hoa",
        },
    )
    assert not PayoutAccount.objects.filter(producer=producer).exists()
