"""E-invoices from a phone (Chromium at 360 × 740): the owner turns invoices on and uploads the
signing certificate (.p12), a delivery gets its signed invoice in the portal, and the buyer looks
it up by its code and downloads the PDF. No page scrolls sideways."""

import pytest
from django.contrib.auth import get_user_model

from marketplace.catalog.models import Product
from marketplace.catalog.stock import set_stock
from marketplace.checkout.models import Checkout, OrderStatus
from marketplace.checkout.services.checkout import LineRequest, create_checkout
from marketplace.checkout.services.complete import complete_checkout
from marketplace.invoices.models import Invoice, InvoiceCounter, InvoiceProfile
from marketplace.payments.models import PaymentMethod
from producers.models import MemberRole, Membership, Producer
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.widths import assert_fits
from tests.marketplace.checkout.buying import hanoi_address
from tests.marketplace.invoices.helpers import PASSWORD as P12_PASSWORD
from tests.marketplace.invoices.helpers import p12, ship_to

pytestmark = pytest.mark.e2e

PHONE_NUMBER = "+84905112233"
PASSWORD = "Hoa-don-Chau-Doc-2026"


@pytest.fixture
def seller(transactional_db):
    """A committed owner of AG0001 (with a tax code) and a shipped COD order; all removed after."""
    producer = Producer.objects.get(code="AG0001")
    tax_code = producer.tax_code
    producer.tax_code = tax_code or "1801234567"
    producer.save(update_fields=["tax_code"])
    product = Product.objects.filter(producer=producer).order_by("sku").first()
    stock_before = product.stock_quantity
    user = get_user_model().objects.create_user(PHONE_NUMBER, password=PASSWORD)
    Membership.objects.create(user=user, producer=producer, role=MemberRole.OWNER)
    checkout = create_checkout([LineRequest(product.sku, 2)], hanoi_address(), email="lan@x.vn")
    order = complete_checkout(checkout.pk, PaymentMethod.COD)
    sub = order.sub_orders.get()
    ship_to(sub, OrderStatus.SHIPPED)
    yield sub
    Invoice.objects.filter(producer=producer).delete()
    InvoiceCounter.objects.filter(producer=producer).delete()
    InvoiceProfile.objects.filter(producer=producer).delete()
    from marketplace.checkout.models import OrderLineLot
    from marketplace.settlements.models import Entry, LineCharge

    OrderLineLot.objects.filter(line__sub_order__order=order).delete()
    Entry.objects.filter(order=order).delete()
    LineCharge.objects.filter(sub_order__order=order).delete()
    order.delete()
    Checkout.objects.filter(pk=checkout.pk).delete()
    set_stock(product, stock_before)
    producer.tax_code = tax_code
    producer.save(update_fields=["tax_code"])
    user.delete()


def test_owner_sets_up_invoices_and_the_buyer_looks_one_up(
    live_server, seller, browser, phone, screenshot, tmp_path
):
    page = phone
    page.goto(live_server.url + "/portal/dang-nhap/")
    page.get_by_label("Số điện thoại hoặc email").fill("0905 112 233")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/portal/")
    page.get_by_role("link", name="Hóa đơn điện tử").click()
    page.get_by_role("link", name="Cài đặt và chứng thư số").click()

    # A wrong password first: a clear error on the form, nothing stored.
    certificate = tmp_path / "chu-ky-so.p12"
    certificate.write_bytes(p12())
    upload = page.locator("#certificate-upload")
    upload.get_by_label("Tệp chứng thư số (.p12 hoặc .pfx)").set_input_files(str(certificate))
    upload.get_by_label("Mật khẩu của tệp").fill("sai-mat-khau")
    upload.get_by_role("button", name="Tải chứng thư số lên").click()
    page.get_by_text("Mật khẩu của tệp chứng thư số không đúng.").wait_for()
    assert not InvoiceProfile.objects.filter(producer=seller.producer).exists()
    screenshot("1-wrong-password")

    upload = page.locator("#certificate-upload")
    upload.get_by_label("Tệp chứng thư số (.p12 hoặc .pfx)").set_input_files(str(certificate))
    upload.get_by_label("Mật khẩu của tệp").fill(P12_PASSWORD)
    upload.get_by_role("button", name="Tải chứng thư số lên").click()
    page.get_by_text("Đã lưu chứng thư số.").wait_for()
    assert "HTX Thử Nghiệm" in page.locator("#certificate-info").inner_text()

    form = page.locator("#invoice-settings")
    form.get_by_label("Lập hóa đơn điện tử cho mỗi đơn đã giao").check()
    form.get_by_label("Ký hiệu hóa đơn").fill("c26taa")
    form.get_by_role("button", name="Lưu thiết lập").click()
    page.get_by_text("Đã lưu thiết lập hóa đơn.").wait_for()
    assert_fits(page)
    screenshot("2-settings-and-certificate")

    # The courier reports the delivery: its invoice is issued and signed on the spot.
    ship_to(seller, OrderStatus.DELIVERED)
    invoice = Invoice.objects.get(sub_order=seller)
    page.goto(live_server.url + "/portal/hoa-don/")
    card = page.locator(f"#invoice-{invoice.pk}")
    card.wait_for()
    assert f"số {invoice.number}" in card.inner_text()
    assert invoice.grouped_code in card.inner_text()
    assert_fits(page)
    screenshot("3-invoice-list")
    pdf = page.context.request.get(live_server.url + f"/portal/hoa-don/{invoice.pk}/hoa-don.pdf")
    assert pdf.ok and pdf.body()[:4] == b"%PDF"

    # The buyer, in another browser, types the code from the order page.
    buyer = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN")
    try:
        mine = buyer.new_page()
        mine.goto(live_server.url + "/hoa-don/tra-cuu/")
        mine.get_by_label("Mã tra cứu").fill(invoice.grouped_code.lower())
        mine.get_by_role("button", name="Tra cứu").click()
        mine.get_by_text("Chữ ký số hợp lệ").wait_for()
        text = mine.content()
        assert seller.producer.name in text and invoice.symbol in text
        assert_fits(mine)
        mine.screenshot(path=str(ARTIFACTS / f"{_name()}-4-buyer-lookup.png"), full_page=True)
        with mine.expect_download() as download:
            mine.get_by_role("link", name="Tải PDF").click()
        saved = tmp_path / "hoa-don.pdf"
        download.value.save_as(saved)
        assert saved.read_bytes()[:4] == b"%PDF"
        _pdf_page_png(saved.read_bytes(), ARTIFACTS / f"{_name()}-5-invoice-pdf.png")
    finally:
        buyer.close()


def _name() -> str:
    return "test_owner_sets_up_invoices_and_the_buyer_looks_one_up"


def _pdf_page_png(pdf: bytes, path) -> None:
    """The PDF's first page as a picture, to look at beside the screenshots."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    text = document[0].get_textpage().get_text_range()
    assert "HÓA ĐƠN GIÁ TRỊ GIA TĂNG" in text and "Tổng tiền thanh toán" in text
    document[0].render(scale=1.5).to_pil().save(path)
