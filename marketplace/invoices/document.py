"""The invoice as the tax authority's XML data format (Decision 1450/QĐ-TCT):

    HDon
      DLHDon Id="DLHDon"        the invoice data, what the seller's signature covers
        TTChung                 general: template, symbol, number, date, currency, payment,
                                TTHDLQuan (the invoice a replacement replaces)
        NDHDon                  content: NBan (seller), NMua (buyer), DSHHDVu/HHDVu (lines),
                                TToan (totals, the amount in words)
      DSCKS/NBan                the seller's XMLDSig signature (invoices.signing)

Prices on the marketplace include VAT. For a VAT invoice (template 1) each line's pre-tax unit
price is the price over (1 + rate), rounded to the đồng; the line's tax is what is left of the
line's amount, so the invoice's total is exactly what the buyer paid.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from num2words import num2words

from marketplace.text import nfc

FORMAT_VERSION = "2.0.0"  # PBan: the version of the data format (Decision 1450/QĐ-TCT)
DATA_ID = "DLHDon"
SCHEMA_PATH = Path(__file__).with_name("schema") / "hdon.xsd"
TITLES = {"1": "HÓA ĐƠN GIÁ TRỊ GIA TĂNG", "2": "HÓA ĐƠN BÁN HÀNG"}
MAX_NUMBER = 99_999_999  # SHDon: at most 8 digits (Decree 123/2020, Art. 10)


def amount_in_words(amount: int) -> str:
    """1234567 → 'Một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy đồng' (TgTTTBChu)."""
    words = num2words(abs(amount), lang="vi")
    text = f"{'âm ' if amount < 0 else ''}{words} đồng"
    return nfc(text[0].upper() + text[1:])


def vat_percent(rate: str) -> int:
    """'8%' → 8; 'KCT' (not subject to VAT) → 0."""
    return int(rate.rstrip("%")) if rate.endswith("%") else 0


@dataclass(frozen=True)
class Party:
    name: str
    address: str
    tax_code: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class Line:
    sku: str
    name: str
    quantity: int
    unit_price: int  # what the buyer paid per unit, VAT included


@dataclass(frozen=True)
class Related:
    """TTHDLQuan: the invoice this one replaces."""

    template: str
    symbol: str
    number: int
    issued_on: datetime.date
    reason: str


@dataclass(frozen=True)
class InvoiceData:
    template: str
    symbol: str
    number: int
    issued_on: datetime.date
    seller: Party
    buyer: Party
    lines: list[Line]
    payment: str  # HTTToan, e.g. "Tiền mặt"
    vat_rate: str = "KCT"  # template 1 only
    order_number: str = ""
    related: Related | None = None
    extra: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(line.unit_price * line.quantity for line in self.lines)


@dataclass(frozen=True)
class PricedLine:
    line: Line
    unit_pre_tax: int
    amount: int  # ThTien: pre-tax for template 1, the full amount for template 2
    tax: int


def priced_lines(data: InvoiceData) -> list[PricedLine]:
    rate = vat_percent(data.vat_rate) if data.template == "1" else 0
    priced = []
    for line in data.lines:
        gross = line.unit_price * line.quantity
        # Half-up in integers: unit × 100 / (100 + rate).
        unit = (line.unit_price * 200 + (100 + rate)) // (2 * (100 + rate))
        amount = unit * line.quantity
        priced.append(PricedLine(line, unit, amount, gross - amount))
    return priced


def _add(parent, tag: str, value=None):
    element = etree.SubElement(parent, tag)
    if value is not None:
        element.text = nfc(str(value))
    return element


def _party(parent, tag: str, party: Party, buyer: bool):
    node = _add(parent, tag)
    _add(node, "Ten", party.name)
    if party.tax_code:
        _add(node, "MST", party.tax_code)
    _add(node, "DChi", party.address)
    if party.phone:
        _add(node, "SDThoai", party.phone)
    if party.email:
        _add(node, "DCTDTu", party.email)
    if buyer:
        _add(node, "HVTNMHang", party.name)  # a shopper buys in their own name
    return node


def build(data: InvoiceData) -> etree._Element:
    """The unsigned HDon, with an empty DSCKS/NBan where the seller's signature goes."""
    vat = data.template == "1"
    root = etree.Element("HDon")
    body = etree.SubElement(root, "DLHDon", Id=DATA_ID)
    general = _add(body, "TTChung")
    _add(general, "PBan", FORMAT_VERSION)
    _add(general, "THDon", TITLES[data.template])
    _add(general, "KHMSHDon", data.template)
    _add(general, "KHHDon", data.symbol)
    _add(general, "SHDon", data.number)
    _add(general, "NLap", data.issued_on.isoformat())
    _add(general, "DVTTe", "VND")
    _add(general, "TGia", "1")
    _add(general, "HTTToan", data.payment)
    if data.related:
        related = _add(general, "TTHDLQuan")
        _add(related, "TCHDon", "1")  # 1: thay thế (replaces); 2 would be điều chỉnh
        _add(related, "LHDCLQuan", "1")  # the related one is an e-invoice under Decree 123
        _add(related, "KHMSHDCLQuan", data.related.template)
        _add(related, "KHHDCLQuan", data.related.symbol)
        _add(related, "SHDCLQuan", data.related.number)
        _add(related, "NLHDCLQuan", data.related.issued_on.isoformat())
        _add(related, "GChu", data.related.reason)
    if data.order_number:
        other = _add(_add(general, "TTKhac"), "TTin")
        _add(other, "TTruong", "SoDonHang")
        _add(other, "KDLieu", "string")
        _add(other, "DLieu", data.order_number)

    content = _add(body, "NDHDon")
    _party(content, "NBan", data.seller, buyer=False)
    _party(content, "NMua", data.buyer, buyer=True)
    items = _add(content, "DSHHDVu")
    priced = priced_lines(data)
    for position, item in enumerate(priced, start=1):
        node = _add(items, "HHDVu")
        _add(node, "TChat", "1")  # 1: goods or a service (not a discount nor a note)
        _add(node, "STT", position)
        if item.line.sku:
            _add(node, "MHHDVu", item.line.sku)
        _add(node, "THHDVu", item.line.name)
        _add(node, "SLuong", item.line.quantity)
        _add(node, "DGia", item.unit_pre_tax)
        _add(node, "ThTien", item.amount)
        if vat:
            _add(node, "TSuat", data.vat_rate)
    totals = _add(content, "TToan")
    pre_tax = sum(p.amount for p in priced)
    tax = sum(p.tax for p in priced)
    if vat:
        by_rate = _add(_add(totals, "THTTLTSuat"), "LTSuat")
        _add(by_rate, "TSuat", data.vat_rate)
        _add(by_rate, "ThTien", pre_tax)
        _add(by_rate, "TThue", tax)
    _add(totals, "TgTCThue", pre_tax)
    if vat:
        _add(totals, "TgTThue", tax)
    _add(totals, "TgTTTBSo", pre_tax + tax)
    _add(totals, "TgTTTBChu", amount_in_words(pre_tax + tax))

    signatures = etree.SubElement(root, "DSCKS")
    etree.SubElement(signatures, "NBan")
    return root


_schema = None


def schema() -> etree.XMLSchema:
    global _schema
    if _schema is None:
        _schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
    return _schema


def validate(xml: bytes) -> list[str]:
    """The XSD's complaints about a (signed or unsigned) invoice; empty when it conforms."""
    checker = schema()
    if checker.validate(etree.fromstring(xml)):
        return []
    return [f"{e.line}: {e.message}" for e in checker.error_log]


def read(xml: bytes) -> dict:
    """What the PDF and the pages show, read back from the signed XML."""
    root = etree.fromstring(xml)

    def text(path: str) -> str:
        return root.findtext(path, default="") or ""

    related = root.find("DLHDon/TTChung/TTHDLQuan")
    return {
        "title": text("DLHDon/TTChung/THDon"),
        "template": text("DLHDon/TTChung/KHMSHDon"),
        "symbol": text("DLHDon/TTChung/KHHDon"),
        "number": text("DLHDon/TTChung/SHDon"),
        "issued_on": datetime.date.fromisoformat(text("DLHDon/TTChung/NLap")),
        "payment": text("DLHDon/TTChung/HTTToan"),
        "related": None
        if related is None
        else {
            "symbol": related.findtext("KHHDCLQuan"),
            "template": related.findtext("KHMSHDCLQuan"),
            "number": related.findtext("SHDCLQuan"),
            "issued_on": datetime.date.fromisoformat(related.findtext("NLHDCLQuan")),
            "reason": related.findtext("GChu") or "",
        },
        "seller": {c.tag: c.text for c in root.find("DLHDon/NDHDon/NBan")},
        "buyer": {c.tag: c.text for c in root.find("DLHDon/NDHDon/NMua")},
        "lines": [
            {c.tag: c.text for c in item} for item in root.iterfind("DLHDon/NDHDon/DSHHDVu/HHDVu")
        ],
        "pre_tax": int(text("DLHDon/NDHDon/TToan/TgTCThue") or 0),
        "tax": int(text("DLHDon/NDHDon/TToan/TgTThue") or 0),
        "total": int(text("DLHDon/NDHDon/TToan/TgTTTBSo")),
        "words": text("DLHDon/NDHDon/TToan/TgTTTBChu"),
        "vat_rate": text("DLHDon/NDHDon/TToan/THTTLTSuat/LTSuat/TSuat"),
    }
