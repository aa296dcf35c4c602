"""The sample month (`load_sample_catalog --with-sample-month`, what `make run` loads): orders
through the real services, statements, a paid payout batch with its bank file, the tax list,
invoices; the ledger checks clean and a second run adds nothing."""

import zipfile

import pytest

from fixtures.sample_month import SAMPLE_EMAIL, load_sample_month
from marketplace.checkout.ledger_check import all_problems
from marketplace.checkout.models import Order, Return, ReturnStatus
from marketplace.invoices.models import Invoice
from marketplace.payments.models import Refund, RefundStatus
from marketplace.settlements.models import CodRemittance, Entry, EntryKind, Statement

pytestmark = pytest.mark.django_db


def test_a_month_runs_end_to_end_and_a_second_run_adds_nothing(tmp_path, settings):
    settings.VIETQR_BANK_BIN = "970403"
    settings.VIETQR_ACCOUNT_NUMBER = "0011012345678"
    lines = load_sample_month(tmp_path)
    assert all_problems() == []
    assert Order.objects.filter(email=SAMPLE_EMAIL).count() == 9
    assert Return.objects.get().status == ReturnStatus.ACCEPTED
    assert Refund.objects.filter(status=RefundStatus.SUCCEEDED).count() == 2  # cancel, return
    assert CodRemittance.objects.count() == 1
    statements = Statement.objects.all()
    assert len({s.period_start for s in statements}) == 4
    assert any(s.returns for s in statements)  # the return, a week after its delivery
    payouts = Entry.objects.filter(kind=EntryKind.PAYOUT)
    assert payouts.exists()
    (bank_file,) = tmp_path.glob("chi-tra-*.csv")
    assert bank_file.read_text().startswith("account_number,bank_bin,holder_name,amount,content")
    assert list(tmp_path.glob("thue-khau-tru-*.xlsx"))
    # The sample cooperative's invoices, signed with its demo certificate, in the upload zip.
    invoices = Invoice.objects.all()
    assert invoices.exists() and all(i.signed_xml for i in invoices)
    (archive,) = tmp_path.glob("hoa-don-*.zip")
    with zipfile.ZipFile(archive) as opened:
        assert len([n for n in opened.namelist() if n.endswith(".xml")]) == invoices.count()
    assert any(line.strip().startswith("Thực nhận:") for line in lines)
    counts = (Order.objects.count(), Entry.objects.count(), Statement.objects.count())
    assert load_sample_month(tmp_path) == ["sample month: already loaded, nothing added"]
    assert (Order.objects.count(), Entry.objects.count(), Statement.objects.count()) == counts
