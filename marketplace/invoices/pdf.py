"""The invoice as a person reads it (A4 PDF), drawn from the signed XML itself, so the page says
exactly what the signature covers. A replaced or cancelled invoice says so across the page."""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from marketplace.fonts import pdf_fonts
from marketplace.invoices import document, signing
from marketplace.invoices.models import Invoice, InvoiceStatus
from marketplace.money import format_vnd


def _number(value) -> str:
    """Quantities and đồng with dots between thousands, as Vietnamese write them."""
    return f"{int(value):,}".replace(",", ".")


def render(invoice: Invoice) -> bytes:
    xml = bytes(invoice.signed_xml)
    data = document.read(xml)
    regular, bold = pdf_fonts()
    style = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=style, fontSize=8, leading=10)
    strong = ParagraphStyle("strong", parent=style, fontName=bold)
    figure = ParagraphStyle("figure", parent=style, alignment=TA_RIGHT)
    title = ParagraphStyle("title", parent=style, fontName=bold, fontSize=15, leading=19)

    def p(text, st=style):
        return Paragraph(escape(text or ""), st)

    seller, buyer = data["seller"], data["buyer"]
    flow = [
        p(data["title"], title),
        p(
            f"Mẫu số {data['template']} · Ký hiệu {data['symbol']} · Số {data['number']} · "
            f"Ngày {data['issued_on']:%d/%m/%Y}",
            strong,
        ),
    ]
    if data["related"]:
        r = data["related"]
        flow.append(
            p(
                f"Thay thế hóa đơn mẫu số {r['template']} ký hiệu {r['symbol']} số {r['number']} "
                f"ngày {r['issued_on']:%d/%m/%Y}. Lý do: {r['reason']}",
                small,
            )
        )
    flow += [
        Spacer(1, 4 * mm),
        p("Đơn vị bán hàng: " + (seller.get("Ten") or ""), strong),
        p("Mã số thuế: " + (seller.get("MST") or "")),
        p("Địa chỉ: " + (seller.get("DChi") or "")),
        Spacer(1, 2 * mm),
        p("Người mua hàng: " + (buyer.get("Ten") or ""), strong),
        p("Địa chỉ: " + (buyer.get("DChi") or "")),
        p("Hình thức thanh toán: " + data["payment"]),
        Spacer(1, 3 * mm),
    ]
    vat = data["template"] == "1"
    head = ["STT", "Tên hàng hóa, dịch vụ", "SL", "Đơn giá", "Thành tiền"] + (
        ["Thuế suất"] if vat else []
    )
    rows = [[p(h, strong) for h in head]]
    for line in data["lines"]:
        rows.append(
            [
                p(line.get("STT")),
                p(line.get("THHDVu")),
                p(_number(line.get("SLuong")), figure),
                p(_number(line.get("DGia")), figure),
                p(_number(line.get("ThTien")), figure),
            ]
            + ([p(line.get("TSuat"))] if vat else [])
        )
    widths = [12 * mm, 76 * mm, 14 * mm, 26 * mm, 28 * mm] + ([18 * mm] if vat else [])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    flow += [table, Spacer(1, 3 * mm)]
    if vat:
        flow += [
            p(f"Cộng tiền hàng (chưa thuế): {format_vnd(data['pre_tax'])}"),
            p(f"Thuế suất GTGT: {data['vat_rate']} · Tiền thuế GTGT: {format_vnd(data['tax'])}"),
        ]
    flow += [
        p(f"Tổng tiền thanh toán: {format_vnd(data['total'])}", strong),
        p(f"Số tiền viết bằng chữ: {data['words']}"),
        Spacer(1, 5 * mm),
        p(f"Ký bởi: {signing.signer_name(xml)} (chữ ký số XMLDSig)", small),
        p(
            f"Tra cứu hóa đơn tại {settings.SITE_URL.rstrip('/')}/hoa-don/tra-cuu/ "
            f"với mã tra cứu {invoice.grouped_code}",
            small,
        ),
    ]
    if invoice.status == InvoiceStatus.CANCELLED:
        flow.append(
            p(
                f"ĐÃ HỦY ngày {timezone.localtime(invoice.cancelled_at):%d/%m/%Y}. "
                f"Lý do: {invoice.cancel_reason}",
                title,
            )
        )
    elif invoice.status == InvoiceStatus.REPLACED:
        flow.append(p("ĐÃ BỊ THAY THẾ bằng hóa đơn khác", title))
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{data['title']} {data['symbol']} {data['number']}",
    )
    pdf.build(flow)
    return buffer.getvalue()
