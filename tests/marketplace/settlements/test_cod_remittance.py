"""COD remittance: the carrier's file posts COD_REMITTED per sub-order, all or nothing, once."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum

from marketplace.checkout.ledger_check import all_problems
from marketplace.checkout.models import OrderStatus
from marketplace.checkout.services import remittance
from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.errors import DomainError
from marketplace.payments import services as payments
from marketplace.payments.models import PaymentMethod
from marketplace.settlements.errors import SettlementError
from marketplace.settlements.models import Account, CodRemittance, Entry, EntryKind, Posting
from tests.marketplace.checkout.buying import checkout_for, three_producers
from tests.marketplace.settlements.conftest import refused

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 30)
UPLOAD = "/admin/settlements/codremittance/tai-len/"


def shipped(tracking, method=PaymentMethod.COD, deliver=True, producers=1):
    order = complete_checkout(checkout_for(three_producers()[:producers]).pk, method)
    if method != PaymentMethod.COD:
        payments.receive(order.payment, order.total, f"bank:{order.number}")
    subs = []
    for n, sub in enumerate(order.sub_orders.order_by("pk")):
        details = Fulfilment(carrier="GHN", tracking_number=f"{tracking}{n or ''}")
        for status in (OrderStatus.CONFIRMED, OrderStatus.SHIPPED) + (
            (OrderStatus.DELIVERED,) if deliver else ()
        ):
            sub = set_sub_order_status(sub.pk, status, details)
        subs.append(sub)
    return subs


def csv_of(*rows, heading="tracking_number,amount") -> bytes:
    return ("\ufeff" + heading + "\n" + "\n".join(f"{t},{a}" for t, a in rows) + "\n").encode()


def record(data: bytes, reference="FT2611300001"):
    return remittance.record_remittance(
        carrier="GHN", remitted_on=DAY, bank_reference=reference, rows=remittance.read_rows(data)
    )


def carrier_holds(**tags) -> int:
    return (
        Posting.objects.filter(account=Account.CARRIER_COD, **tags).aggregate(s=Sum("amount"))["s"]
        or 0
    )


def test_a_carrier_file_posts_each_sub_order_once_and_a_replay_changes_nothing():
    first, second = shipped("GHNA", producers=2)
    data = csv_of((first.tracking_number, first.total), (second.tracking_number, second.total))
    made, new = record(data)
    assert new and made.total == first.total + second.total
    assert carrier_holds(order_id=first.order_id) == 0
    bank = Posting.objects.filter(account=Account.PLATFORM_BANK, entry__kind=EntryKind.COD_REMITTED)
    assert bank.aggregate(s=Sum("amount"))["s"] == made.total
    assert set(bank.values_list("producer_id", flat=True)) == {
        first.producer_id,
        second.producer_id,
    }
    again, new = record(data)
    assert (again.pk, new) == (made.pk, False)
    assert Entry.objects.filter(kind=EntryKind.COD_REMITTED).count() == 2
    assert all_problems() == []


def test_a_file_with_one_bad_row_posts_nothing_and_names_every_bad_row():
    (good,) = shipped("GHNB")
    (pending,) = shipped("GHNC", deliver=False)
    (paid_online,) = shipped("GHND", method=PaymentMethod.VIETQR, deliver=False)
    data = csv_of(
        (good.tracking_number, good.total),
        ("GHN-NOPE", 1000),
        (pending.tracking_number, pending.total),
        (good.tracking_number, good.total),
        (paid_online.tracking_number, paid_online.total),
    )
    with pytest.raises(DomainError) as exc:
        record(data)
    problems = exc.value.each()
    assert [p.field for p in problems] == ["rows[3]", "rows[4]", "rows[5]", "rows[6]"]
    assert problems[0].code == SettlementError.COD_UNKNOWN_TRACKING
    assert "chưa giao xong" in problems[1].message
    assert "lặp lại" in problems[2].message
    assert not CodRemittance.objects.exists()
    assert not Entry.objects.filter(kind=EntryKind.COD_REMITTED).exists()


def test_a_wrong_amount_or_a_sub_order_remitted_before_is_refused():
    (sub,) = shipped("GHNE")
    with pytest.raises(DomainError) as exc:
        record(csv_of((sub.tracking_number, sub.total - 1000)))
    assert exc.value.code == SettlementError.COD_AMOUNT_MISMATCH
    record(csv_of((sub.tracking_number, sub.total)), "FT-1")
    with pytest.raises(DomainError) as exc:
        record(csv_of((sub.tracking_number, sub.total)), "FT-2")
    assert exc.value.code == SettlementError.COD_ALREADY_REMITTED
    with pytest.raises(DomainError) as exc:  # the same reference for other rows
        record(csv_of(("GHN-OTHER", 5)), "FT-1")
    assert exc.value.code == SettlementError.COD_ALREADY_REMITTED
    assert Entry.objects.filter(kind=EntryKind.COD_REMITTED).count() == 1


def test_the_carriers_own_headings_semicolons_and_spacing_are_read():
    data = "Mã vận đơn;Tiền thu hộ\nghn 123;237.000\n;\n".encode()
    assert remittance.read_rows(data) == [remittance.RemittanceRow(2, "GHN123", 237000)]


@pytest.mark.parametrize(
    "data, says",
    [
        (b"order,money\nA,1\n", "tracking_number"),
        ("tracking_number,amount\nA,1\n".encode("utf-16"), "UTF-8"),
        (b"tracking_number,amount\n", "không có dòng"),
    ],
)
def test_a_file_that_is_not_a_carrier_file_is_refused(data, says):
    with pytest.raises(DomainError) as exc:
        remittance.read_rows(data)
    assert exc.value.code == SettlementError.COD_INVALID_FILE and says in exc.value.message


def test_an_unreadable_amount_is_reported_on_its_row():
    (sub,) = shipped("GHNF")
    with pytest.raises(DomainError) as exc:
        record(csv_of((sub.tracking_number, "12,5")))
    assert exc.value.each()[0].field == "rows[2]"


@pytest.mark.parametrize("role", ["anonymous", "shopper", "owner", "other_owner", "office"])
def test_only_staff_reach_the_upload_page(clients, role):
    assert refused(clients[role].get(UPLOAD))
    assert refused(clients[role].post(UPLOAD, {"carrier": "GHN"}))


def test_staff_upload_a_carrier_file_and_see_the_remittance(clients):
    (sub,) = shipped("GHNG")
    staff = clients["staff"]
    assert staff.get(UPLOAD).status_code == 200
    form = {"carrier": "GHN", "remitted_on": "2026-11-30", "bank_reference": "FT-77"}
    bad = staff.post(UPLOAD, {**form, "file": SimpleUploadedFile("cod.csv", csv_of(("X1", 5)))})
    assert bad.status_code == 200 and "Chưa ghi gì" in bad.content.decode()
    upload = SimpleUploadedFile("cod.csv", csv_of((sub.tracking_number, sub.total)))
    response = staff.post(UPLOAD, {**form, "file": upload}, follow=True)
    assert response.status_code == 200
    assert "Đã ghi đối soát FT-77" in response.content.decode()
    assert CodRemittance.objects.get().items.get().sub_order_id == sub.pk
