"""VietQR reconciliation: amounts as banks write them; a reference naming two orders."""

import pytest
from django.core.management import call_command

from marketplace.payments.models import PaymentEvent, PaymentStatus
from marketplace.payments.statement import AmountError, parse_amount
from tests.marketplace.payments.test_ledger_and_reconcile import statement, vietqr_order


@pytest.mark.parametrize(
    "text",
    [
        "237000",
        "237.000",
        "237,000",
        "237000.00",
        "237000,00",
        "237.000,00",
        "237,000.00",
        "237 000",
        "237.000 ₫",
        "237000 VND",
        "237.000đ",
    ],
)
def test_every_way_banks_write_237000(text):
    assert parse_amount(text) == 237000


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "237.000.5",
        "23.70.00",
        "237,000.000",
        "237.000.00,0",
        "1,2,3",
        "237000.5",
        "237.000,50",
        "-237000",
        "2.37e5",
        "237.000,000",
        "237,000,00",
    ],
)
def test_ambiguous_or_broken_amounts_are_refused(text):
    with pytest.raises(AmountError):
        parse_amount(text)


@pytest.mark.django_db
def test_decimal_amounts_pay_the_order(settings, tmp_path, capsys):
    order = vietqr_order(settings)
    path = statement(tmp_path, [("FT1", "2026-11-27", order.number, f"{order.total}.00")])
    call_command("reconcile_vietqr", path)
    assert "dòng 2: paid" in capsys.readouterr().out
    order.payment.refresh_from_db()
    assert order.payment.status == PaymentStatus.PAID


@pytest.mark.django_db
def test_a_reference_naming_two_orders_is_reported_and_applied_to_neither(
    settings, tmp_path, capsys
):
    first, second = vietqr_order(settings), vietqr_order(settings)
    path = statement(
        tmp_path,
        [
            ("FT9", "2026-11-27", f"{first.number} va {second.number}", first.total),
            ("FT10", "2026-11-27", second.number, "1.2.3"),
            ("FT11", "2026-11-27", second.number, second.total),
        ],
    )
    call_command("reconcile_vietqr", path)
    out = capsys.readouterr().out
    assert "dòng 2: ambiguous" in out and first.number in out and second.number in out
    assert "dòng 3: invalid_amount" in out and "1.2.3" in out
    assert "dòng 4: paid" in out  # the rest of the statement is still reconciled
    first.payment.refresh_from_db()
    assert first.payment.status == PaymentStatus.PENDING
    assert not PaymentEvent.objects.filter(idempotency_key="vietqr:FT9").exists()
