"""The invoice XML: Decision 1450/QĐ-TCT structure, the amount in words, totals to the đồng, the
XSD that describes it (and refuses what it should)."""

import datetime

import pytest
from lxml import etree

from marketplace.invoices import document, signing
from marketplace.invoices.certificates import SigningCertificate
from tests.marketplace.invoices.helpers import certificate


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (1_000_000, "Một triệu đồng"),
        (1_234_567, "Một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy đồng"),
        (105_000, "Một trăm lẻ năm nghìn đồng"),
    ],
)
def test_the_amount_in_vietnamese_words(amount, words):
    assert document.amount_in_words(amount) == words


def data(**overrides) -> document.InvoiceData:
    values = {
        "template": "1",
        "symbol": "C26TAA",
        "number": 7,
        "issued_on": datetime.date(2026, 12, 1),
        "seller": document.Party("HTX Mắm Châu Đốc", "Châu Đốc, An Giang", "1801234567"),
        "buyer": document.Party("Nguyễn Thị Lan", "12 Phố Điện Biên Phủ, Hà Nội", phone="0912"),
        "lines": [
            document.Line("MAM-01", "Mắm cá linh", 3, 105_000),
            document.Line("", "Phí vận chuyển", 1, 30_000),
        ],
        "payment": "Tiền mặt",
        "vat_rate": "8%",
        "order_number": "AG1234",
    }
    values.update(overrides)
    return document.InvoiceData(**values)


def test_a_vat_invoice_splits_tax_out_of_prices_and_totals_what_was_paid():
    root = document.build(data())
    total = int(root.findtext("DLHDon/NDHDon/TToan/TgTTTBSo"))
    pre_tax = int(root.findtext("DLHDon/NDHDon/TToan/TgTCThue"))
    tax = int(root.findtext("DLHDon/NDHDon/TToan/TgTThue"))
    assert total == 3 * 105_000 + 30_000 == pre_tax + tax
    first = root.find("DLHDon/NDHDon/DSHHDVu/HHDVu")
    assert first.findtext("DGia") == "97222"  # 105 000 / 1.08, to the đồng
    assert first.findtext("ThTien") == str(97222 * 3)
    assert first.findtext("TSuat") == "8%"
    assert root.findtext("DLHDon/TTChung/KHMSHDon") == "1"
    assert root.findtext("DLHDon/TTChung/KHHDon") == "C26TAA"
    assert root.findtext("DLHDon/TTChung/SHDon") == "7"
    assert root.findtext("DLHDon/TTChung/NLap") == "2026-12-01"
    assert root.findtext("DLHDon/NDHDon/NBan/MST") == "1801234567"
    assert root.findtext("DLHDon/NDHDon/TToan/TgTTTBChu") == "Ba trăm bốn mươi lăm nghìn đồng"
    assert root.find("DLHDon").get("Id") == "DLHDon"


def test_a_sales_invoice_has_no_vat_lines():
    root = document.build(data(template="2"))
    assert root.find(".//TSuat") is None and root.find(".//TgTThue") is None
    assert root.findtext("DLHDon/TTChung/THDon") == "HÓA ĐƠN BÁN HÀNG"
    assert root.findtext("DLHDon/NDHDon/TToan/TgTCThue") == "345000"


def test_a_replacement_names_the_invoice_it_replaces():
    related = document.Related("1", "C26TAA", 3, datetime.date(2026, 11, 30), "Khách trả 1 hũ")
    root = document.build(data(related=related))
    node = root.find("DLHDon/TTChung/TTHDLQuan")
    assert [(c.tag, c.text) for c in node] == [
        ("TCHDon", "1"),
        ("LHDCLQuan", "1"),
        ("KHMSHDCLQuan", "1"),
        ("KHHDCLQuan", "C26TAA"),
        ("SHDCLQuan", "3"),
        ("NLHDCLQuan", "2026-11-30"),
        ("GChu", "Khách trả 1 hũ"),
    ]


def signed(**overrides) -> bytes:
    key, cert = certificate()
    return signing.sign(document.build(data(**overrides)), SigningCertificate(key, cert))


@pytest.mark.parametrize("template", ["1", "2"])
def test_signed_invoices_conform_to_the_schema(template):
    xml = signed(template=template)
    assert document.validate(xml) == []
    related = document.Related("1", "C26TAA", 3, datetime.date(2026, 11, 30), "Sai địa chỉ")
    assert document.validate(signed(related=related)) == []


def test_the_schema_refuses_what_the_format_does_not_allow():
    good = signed()
    for old, new in [
        (b"<KHHDon>C26TAA</KHHDon>", b"<KHHDon>C26TAF</KHHDon>"),  # F is not one of the 20
        (b"<SHDon>7</SHDon>", b"<SHDon>123456789</SHDon>"),  # more than 8 digits
        (b"<MST>1801234567</MST>", b"<MST>18012</MST>"),
        (b"<NLap>2026-12-01</NLap>", b"<NLap>01/12/2026</NLap>"),
    ]:
        assert old in good
        assert document.validate(good.replace(old, new)), new
    root = etree.fromstring(good)
    root.find("DLHDon/NDHDon").remove(root.find("DLHDon/NDHDon/NMua"))
    assert document.validate(etree.tostring(root))


def test_reading_back_gives_what_was_written():
    read = document.read(signed())
    assert (read["symbol"], read["number"], read["total"]) == ("C26TAA", "7", 345_000)
    assert read["seller"]["Ten"] == "HTX Mắm Châu Đốc"
    assert [line["THHDVu"] for line in read["lines"]] == ["Mắm cá linh", "Phí vận chuyển"]
