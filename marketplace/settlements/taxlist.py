"""The monthly list of tax withheld for sellers (Decree 117/2025/NĐ-CP): who, how much revenue,
how much VAT and PIT, per month of delivery (Vietnam time).

One row per withheld seller and type of sale (the rates differ by type). Revenue is the goods
value delivered in the month minus the goods returned in it; VAT and PIT are the sums of the
per-line amounts posted to the ledger (LineCharge mirrors each TAX_WITHHELD entry line by
line), so the totals are the ledger's. A seller with neither tax code nor citizen ID is listed
and flagged; the files are refused until every listed seller has one.

Files: XLSX for people; XML in the tax authority's e-filing envelope (see README, "Tax-withheld
list") checked against schemas/tax_list.xsd before it is returned.
"""

import calendar
import datetime
import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.errors import DomainError
from marketplace.settlements.charge_models import LineCharge, SaleType
from marketplace.settlements.errors import SettlementError
from marketplace.spreadsheet import Sheet, workbook_bytes
from marketplace.taxonomy.producer_kinds import ProducerKind

NAMESPACE = "http://kekhaithue.gdt.gov.vn/TKhaiThue"
SCHEMA = Path(__file__).with_name("schemas") / "tax_list.xsd"
FORM = "01/CNKD-TMĐT"


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Month":
        """'2026-11' → Month(2026, 11)."""
        try:
            year, month = (int(part) for part in (text or "").strip().split("-"))
            datetime.date(year, month, 1)
        except ValueError:
            raise DomainError(
                SettlementError.INVALID_MONTH,
                _("Tháng không hợp lệ “%(text)s”: viết theo dạng 2026-11.") % {"text": text},
                "month",
            )
        return cls(year, month)

    @property
    def first(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)

    @property
    def last(self) -> datetime.date:
        return datetime.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02}"


@dataclass(frozen=True)
class SellerRow:
    producer_id: int
    code: str
    name: str
    kind: str
    tax_code: str
    national_id: str
    address: str
    sale_type: str
    revenue: int
    vat: int
    pit: int

    @property
    def identity(self) -> str:
        """What the tax office knows the seller by: its tax code, else its citizen ID."""
        return self.tax_code or self.national_id

    @property
    def kind_label(self) -> str:
        return str(ProducerKind(self.kind).label)

    @property
    def sale_type_label(self) -> str:
        return str(SaleType(self.sale_type).label)


@dataclass(frozen=True)
class TaxList:
    month: Month
    rows: list[SellerRow]

    @property
    def revenue(self) -> int:
        return sum(r.revenue for r in self.rows)

    @property
    def vat(self) -> int:
        return sum(r.vat for r in self.rows)

    @property
    def pit(self) -> int:
        return sum(r.pit for r in self.rows)

    @property
    def missing_identity(self) -> list[SellerRow]:
        """One row per seller with neither tax code nor citizen ID."""
        seen, missing = set(), []
        for row in self.rows:
            if not row.identity and row.producer_id not in seen:
                seen.add(row.producer_id)
                missing.append(row)
        return missing


def for_month(month: Month) -> TaxList:
    """One query: the withheld lines of the month grouped by seller and type of sale."""
    grouped = (
        LineCharge.objects.filter(on__gte=month.first, on__lte=month.last)
        .filter(Q(vat_percent__gt=0) | Q(pit_percent__gt=0))
        .values(
            "producer_id",
            "producer__code",
            "producer__name",
            "producer__kind",
            "producer__tax_code",
            "producer__national_id",
            "producer__street_address",
            "producer__ward__name",
            "producer__ward__province__name",
            "sale_type",
        )
        .annotate(revenue=Sum("base"), vat=Sum("vat"), pit=Sum("pit"))
        .order_by("producer__name", "producer_id", "sale_type")
    )
    rows = [
        SellerRow(
            producer_id=g["producer_id"],
            code=g["producer__code"],
            name=g["producer__name"],
            kind=g["producer__kind"],
            tax_code=g["producer__tax_code"],
            national_id=g["producer__national_id"],
            address=", ".join(
                part
                for part in (
                    g["producer__street_address"],
                    g["producer__ward__name"],
                    g["producer__ward__province__name"],
                )
                if part
            ),
            sale_type=g["sale_type"],
            revenue=g["revenue"],
            vat=g["vat"],
            pit=g["pit"],
        )
        for g in grouped
    ]
    return TaxList(month, rows)


def require_complete(tax_list: TaxList) -> None:
    """Refuse a file that would name a seller the tax office cannot identify."""
    missing = tax_list.missing_identity
    if missing:
        raise DomainError(
            SettlementError.MISSING_TAX_ID,
            _(
                "Chưa xuất được bảng kê tháng %(month)s: %(count)s người bán chưa có mã số thuế "
                "hay số căn cước (%(names)s). Bổ sung trong hồ sơ của họ rồi xuất lại."
            )
            % {
                "month": f"{tax_list.month.month:02}/{tax_list.month.year}",
                "count": len(missing),
                "names": "; ".join(f"{r.name} ({r.code})" for r in missing),
            },
            "producer",
        )


HEADERS = [
    "STT",
    "Mã chủ thể",
    "Tên người bán",
    "Loại người bán",
    "Mã số thuế / Số căn cước",
    "Địa chỉ",
    "Nhóm ngành nghề",
    "Doanh thu (đồng)",
    "Thuế GTGT đã khấu trừ (đồng)",
    "Thuế TNCN đã khấu trừ (đồng)",
]
MONEY_COLUMNS = (8, 9, 10)


def to_xlsx(tax_list: TaxList) -> bytes:
    require_complete(tax_list)
    rows = [
        [
            n,
            r.code,
            r.name,
            r.kind_label,
            r.identity,
            r.address,
            r.sale_type_label,
            r.revenue,
            r.vat,
            r.pit,
        ]
        for n, r in enumerate(tax_list.rows, start=1)
    ]
    rows.append(["", "", "Tổng cộng", "", "", "", "", tax_list.revenue, tax_list.vat, tax_list.pit])
    sheet = Sheet(
        f"Thuế khấu trừ {tax_list.month.month:02}-{tax_list.month.year}",
        HEADERS,
        rows,
        {column: "#,##0" for column in MONEY_COLUMNS},
    )
    return workbook_bytes([sheet])


def to_xml(tax_list: TaxList, *, made_on: datetime.date | None = None) -> bytes:
    """The declaration and its detailed list, in the e-filing envelope, schema-checked."""
    from lxml import etree

    require_complete(tax_list)
    if not settings.PLATFORM_TAX_CODE:
        raise DomainError(
            SettlementError.MISSING_TAX_ID,
            _("Chưa khai mã số thuế của sàn (PLATFORM_TAX_CODE): chưa xuất được tờ khai XML."),
            "platform",
        )
    month, made_on = tax_list.month, made_on or timezone.localdate()

    def add(parent, tag, text=None, **attrs):
        element = etree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", **attrs)
        if text is not None:
            element.text = str(text)
        return element

    root = etree.Element(f"{{{NAMESPACE}}}HSoThueDTu", nsmap={None: NAMESPACE})
    filing = add(root, "HSoKhaiThue", id="ID_1")
    common = add(filing, "TTinChung")
    service = add(common, "TTinDVu")
    add(service, "maDVu", "OCOP-AG")
    add(service, "tenDVu", "Sàn OCOP An Giang")
    add(service, "pbanDVu", "1.0")
    declaration = add(add(common, "TTinTKhaiThue"), "TKhaiThue")
    add(declaration, "tenTKhai", "Tờ khai khấu trừ thuế của tổ chức quản lý nền tảng TMĐT")
    add(declaration, "moTaBMau", f"Mẫu số {FORM} (Nghị định 117/2025/NĐ-CP)")
    add(declaration, "pbanTKhaiXML", "1.0.0")
    add(declaration, "loaiTKhai", "C")  # chính thức (first filing), not a correction
    add(declaration, "soLan", "0")
    period = add(declaration, "KyKKhaiThue")
    add(period, "kieuKy", "M")
    add(period, "kyKKhai", f"{month.month:02}/{month.year}")
    add(period, "kyKKhaiTuNgay", month.first.strftime("%d/%m/%Y"))
    add(period, "kyKKhaiDenNgay", month.last.strftime("%d/%m/%Y"))
    add(declaration, "ngayLapTKhai", made_on.isoformat())
    declarant = add(common[-1], "NNT")
    add(declarant, "mst", settings.PLATFORM_TAX_CODE)
    add(declarant, "tenNNT", settings.PLATFORM_LEGAL_NAME)
    add(declarant, "dchiNNT", settings.PLATFORM_ADDRESS)
    totals = add(filing, "CTieuTKhaiChinh")
    add(totals, "soNguoiBan", len({r.producer_id for r in tax_list.rows}))
    add(totals, "tongDoanhThu", tax_list.revenue)
    add(totals, "tongThueGTGT", tax_list.vat)
    add(totals, "tongThueTNCN", tax_list.pit)
    detail = add(add(filing, "PLuc"), "BKeNguoiBan")
    for n, r in enumerate(tax_list.rows, start=1):
        row = add(detail, "ChiTiet", id=f"CT_{n}")
        add(row, "stt", n)
        add(row, "tenNguoiBan", r.name)
        add(row, "mstNguoiBan" if r.tax_code else "soCCCD", r.identity)
        add(row, "dchiNguoiBan", r.address)
        add(row, "nganhNghe", r.sale_type_label, ma=r.sale_type)
        add(row, "doanhThu", r.revenue)
        add(row, "thueGTGT", r.vat)
        add(row, "thueTNCN", r.pit)
    schema().assertValid(root)
    buffer = io.BytesIO()
    etree.ElementTree(root).write(buffer, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return buffer.getvalue()


def schema():
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(SCHEMA)))
