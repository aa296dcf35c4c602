"""The provider interface's default: a zip of the signed XML for manual upload, and the
commands that export and catch up."""

import csv
import io
import zipfile

import pytest
from django.core.management import call_command

from marketplace.invoices import senders
from marketplace.invoices.models import Invoice, InvoiceProfile
from tests.marketplace.invoices.helpers import PASSWORD, delivered_sub, invoicing_producer, p12

pytestmark = pytest.mark.django_db


def test_export_invoices_writes_a_zip_once(settings, tmp_path):
    settings.INVOICE_EXPORT_DIR = tmp_path
    product = invoicing_producer()
    subs = [delivered_sub(product) for _ in range(2)]
    out = io.StringIO()
    call_command("export_invoices", stdout=out)
    (path,) = tmp_path.glob("hoa-don-*.zip")
    archive = zipfile.ZipFile(path)
    invoices = Invoice.objects.filter(sub_order__in=subs).order_by("number")
    names = [senders.file_name(i) for i in invoices]
    assert sorted(archive.namelist()) == sorted([*names, "danh-sach.csv"])
    assert archive.read(names[0]) == bytes(invoices[0].signed_xml)
    rows = list(csv.reader(io.StringIO(archive.read("danh-sach.csv").decode("utf-8-sig"))))
    assert rows[0][:3] == ["tep", "ma_so_thue", "mau_so"]
    assert [r[4] for r in rows[1:]] == [str(i.number) for i in invoices]
    assert all(i.exported_at for i in invoices)
    again = io.StringIO()
    call_command("export_invoices", stdout=again)
    assert "Không có hóa đơn nào cần xuất" in again.getvalue()


def test_issue_invoices_catches_up_once_the_certificate_is_there():
    product = invoicing_producer()
    InvoiceProfile.objects.filter(producer=product.producer).update(sealed_key=None)
    sub = delivered_sub(product)
    err = io.StringIO()
    call_command("issue_invoices", stdout=io.StringIO(), stderr=err)
    assert "chứng thư số" in err.getvalue()
    assert not Invoice.objects.filter(sub_order=sub).exists()
    from marketplace.invoices import profiles
    from tests.marketplace.invoices.helpers import staff_user

    profiles.upload_certificate(staff_user(), product.producer, p12(), PASSWORD)
    out = io.StringIO()
    call_command("issue_invoices", stdout=out)
    assert "Đã lập 1 hóa đơn" in out.getvalue()
    assert Invoice.objects.get(sub_order=sub).number == 1
