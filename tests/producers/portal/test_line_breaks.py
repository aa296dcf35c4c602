"""Multi-line fields keep their paragraphs: descriptions, order and lot notes, scan reports."""

import datetime
import unicodedata

import pytest
from django.test import RequestFactory
from django.utils import timezone

from config.nfc import NfcInputMiddleware
from marketplace.catalog.models import Product, ProductStatus
from marketplace.text import nfc, nfc_lines
from tests.marketplace.checkout.buying import checkout_for
from traceability import scans
from traceability.models import Event

pytestmark = pytest.mark.django_db

TYPED = "  Cá lóc đồng,\r\nphơi một nắng.\r\n\r\n\r\n\r\nBảo quản  \t ngăn mát.  "
STORED = "Cá lóc đồng,\nphơi một nắng.\n\nBảo quản ngăn mát."


@pytest.mark.parametrize(
    "typed, stored",
    [
        (TYPED, STORED),
        ("Dòng 1\rDòng 2\u2028Dòng 3\u2029Dòng 4", "Dòng 1\nDòng 2\nDòng 3\nDòng 4"),
        (unicodedata.normalize("NFD", "Mắm\nthái"), "Mắm\nthái"),
        ("\n\n  \n", ""),
        ("", ""),
    ],
)
def test_multi_line_text_keeps_its_line_breaks(typed, stored):
    assert nfc_lines(typed) == stored


def test_one_line_fields_still_collapse_white_space():
    assert nfc(TYPED) == "Cá lóc đồng, phơi một nắng. Bảo quản ngăn mát."


def test_the_nfc_middleware_keeps_line_breaks():
    seen = {}

    def view(request):
        seen["note"] = request.POST["note"]

    request = RequestFactory().post("/x/", {"note": unicodedata.normalize("NFD", "Mắm\r\nthái")})
    NfcInputMiddleware(view)(request)
    assert seen["note"] == "Mắm\r\nthái"  # NFC, line breaks untouched (the service folds \r\n)


def test_a_listing_description_keeps_its_paragraphs(client, owner, producer):
    client.force_login(owner)
    response = client.post(
        "/portal/san-pham/moi/",
        {
            "producer": producer.code,
            "name": "Khô cá lóc hai đoạn",
            "product_set": "1.8",
            "unit": "gói 250g",
            "price": "125.000",
            "stock": "20",
            "certificate": "",
            "description": TYPED,
        },
    )
    assert response.status_code == 302
    product = Product.objects.get(name="Khô cá lóc hai đoạn")
    assert product.description == STORED
    Product.objects.filter(pk=product.pk).update(status=ProductStatus.PUBLISHED)
    page = client.get(f"/san-pham/{product.slug}/").content.decode()
    assert "<p>Cá lóc đồng,<br>phơi một nắng.</p>\n\n<p>Bảo quản ngăn mát.</p>" in page


def test_a_delivery_note_keeps_its_lines(product):
    checkout = checkout_for([product], note="Giao giờ hành chính.\r\nGọi trước 15 phút.")
    assert checkout.note == "Giao giờ hành chính.\nGọi trước 15 phút."


def test_a_lot_step_note_keeps_its_lines_on_the_trace_page(client, owner, lot):
    client.force_login(owner)
    when = timezone.localtime() - datetime.timedelta(minutes=5)
    response = client.post(
        f"/portal/lo/{lot.pk}/",
        {
            "step": "packing",
            "when": when.strftime("%Y-%m-%dT%H:%M"),
            "note": "Hũ 500 g\r\nDán nhãn",
        },
    )
    assert response.status_code == 302
    assert Event.objects.get(batch=lot).note == "Hũ 500 g\nDán nhãn"
    assert "Hũ 500 g<br>Dán nhãn" in client.get(f"/portal/lo/{lot.pk}/").content.decode()


def test_a_suspect_report_keeps_its_lines(lot):
    report = scans.report_suspect(
        scans.ReportData(gtin="", lot=lot.lot, message="Tem bị bóc.\r\nHạn dùng bị sửa."), lot
    )
    assert report.message == "Tem bị bóc.\nHạn dùng bị sửa."
