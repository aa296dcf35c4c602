import pytest
from django.core.management import CommandError, call_command

from marketplace.checkout.services.complete import complete_checkout
from marketplace.checkout.services.orders import Fulfilment, set_sub_order_status
from marketplace.payments import services
from marketplace.payments.models import PaymentEvent, PaymentMethod, PaymentStatus
from tests.marketplace.checkout.buying import checkout_for, three_producers

pytestmark = pytest.mark.django_db


def vietqr_order(settings):
    settings.VIETQR_BANK_BIN = "970403"
    settings.VIETQR_ACCOUNT_NUMBER = "0011012345678"
    return complete_checkout(checkout_for(three_producers()[:2]).pk, PaymentMethod.VIETQR)


def statement(tmp_path, rows):
    path = tmp_path / "statement.csv"
    lines = ["transaction_id,date,reference,amount"]
    lines += [",".join(map(str, row)) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_vietqr_order_carries_the_payload_with_its_number(settings):
    order = vietqr_order(settings)
    parsed = services.vietqr.parse(order.payment.vietqr_payload)
    assert parsed.is_valid
    assert parsed.additional_data.bill_number == order.number
    assert parsed.amount == str(order.total)


def test_reconcile_pays_matches_and_reports_mismatches_and_repeats(settings, tmp_path, capsys):
    order = vietqr_order(settings)
    other = vietqr_order(settings)
    path = statement(
        tmp_path,
        [
            ("FT001", "2026-11-27", f"CT DEN {order.number} thanh toan don hang", order.total),
            ("FT002", "2026-11-27", f"{other.number} thanh toan", other.total - 1000),
            ("FT003", "2026-11-27", "chuyen tien an trua", 50000),
            ("FT001", "2026-11-27", f"CT DEN {order.number} thanh toan don hang", order.total),
        ],
    )
    call_command("reconcile_vietqr", path)
    out = capsys.readouterr().out
    assert "dòng 2: paid" in out
    assert "dòng 3: amount_mismatch" in out and str(other.total - 1000) in out
    assert "dòng 4: unknown_order" in out
    assert "dòng 5: duplicate" in out
    order.payment.refresh_from_db()
    other.payment.refresh_from_db()
    assert order.payment.status == PaymentStatus.PAID
    assert order.payment.amount_received == order.total
    assert other.payment.status == PaymentStatus.PENDING
    # Importing the same statement again changes nothing.
    events = PaymentEvent.objects.count()
    call_command("reconcile_vietqr", path)
    assert PaymentEvent.objects.count() == events


def test_reconcile_rejects_a_file_without_the_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("ngay,so_tien\n2026-11-27,1000\n", encoding="utf-8")
    with pytest.raises(CommandError, match="reference"):
        call_command("reconcile_vietqr", str(path))


def test_cod_delivery_recorded_once_even_if_marked_twice(settings):
    order = complete_checkout(checkout_for(three_producers()[:1]).pk, PaymentMethod.COD)
    sub = order.sub_orders.get()
    for status in ("confirmed", "shipped", "delivered"):
        set_sub_order_status(sub.pk, status, Fulfilment(carrier="GHN", tracking_number="GHN0001"))
    services.delivered(sub)  # a second courier report
    order.payment.refresh_from_db()
    assert order.payment.status == PaymentStatus.PAID
    assert order.payment.events.filter(kind="received").count() == 1
