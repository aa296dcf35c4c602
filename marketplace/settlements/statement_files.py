"""A statement as files: XLSX (marketplace.spreadsheet) and an A4 PDF (reportlab, with the
project's Vietnamese fonts, as invoices are drawn)."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from marketplace.fonts import pdf_fonts
from marketplace.money import format_vnd
from marketplace.settlements.models import Statement
from marketplace.spreadsheet import Sheet, workbook_bytes

THOUSANDS = "#,##0"


def figure_rows(statement: Statement) -> list[tuple[str, int]]:
    """The summary as label and đồng, in the order pages and files show it."""
    return [
        (_("Tiền hàng đã giao"), statement.goods),
        (_("Phí vận chuyển"), statement.shipping),
        (_("Hàng trả lại"), -statement.returns),
        (_("Hoa hồng của sàn"), -statement.commission),
        (_("Thuế GTGT khấu trừ"), -statement.vat),
        (_("Thuế TNCN khấu trừ"), -statement.pit),
        (_("Thực nhận"), statement.net),
    ]


def line_headers() -> list[str]:
    return [
        _("Ngày"),
        _("Mã đơn"),
        _("Sản phẩm"),
        _("Số lượng"),
        _("Tiền hàng"),
        _("Hoa hồng (%)"),
        _("Hoa hồng"),
        _("Thuế GTGT"),
        _("Thuế TNCN"),
    ]


def line_row(charge) -> list:
    return [
        charge.on.strftime("%d/%m/%Y"),
        charge.sub_order.order.number,
        charge.line.name,
        charge.quantity,
        charge.base,
        float(charge.commission_percent),
        charge.commission,
        charge.vat,
        charge.pit,
    ]


def _period(statement: Statement) -> str:
    return f"{statement.period_start:%d/%m/%Y} – {statement.period_end:%d/%m/%Y}"


def to_xlsx(statement: Statement, lines) -> bytes:
    summary = Sheet(
        _("Tổng hợp"),
        [_("Mục"), _("Số tiền (đồng)")],
        [
            [_("Bảng đối soát"), statement.number],
            [_("Chủ thể"), statement.producer.name],
            [_("Kỳ"), _period(statement)],
            *[[label, amount] for label, amount in figure_rows(statement)],
            [_("COD đơn vị vận chuyển thu hộ"), statement.cod_collected],
        ],
        {2: THOUSANDS},
    )
    detail = Sheet(
        _("Chi tiết"),
        line_headers(),
        [line_row(charge) for charge in lines],
        {5: THOUSANDS, 7: THOUSANDS, 8: THOUSANDS, 9: THOUSANDS},
    )
    return workbook_bytes([summary, detail])


def _number(value) -> str:
    return f"{int(value):,}".replace(",", ".")


def to_pdf(statement: Statement, lines) -> bytes:
    regular, bold = pdf_fonts()
    style = ParagraphStyle("body", fontName=regular, fontSize=8, leading=10)
    strong = ParagraphStyle("strong", parent=style, fontName=bold)
    figure = ParagraphStyle("figure", parent=style, alignment=TA_RIGHT)
    title = ParagraphStyle("title", parent=style, fontName=bold, fontSize=14, leading=18)

    def p(text, st=style):
        return Paragraph(escape(str(text)), st)

    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    flow = [
        p(_("Bảng đối soát %(number)s") % {"number": statement.number}, title),
        p(f"{statement.producer.name} · {_('Kỳ')} {_period(statement)}", strong),
        p(
            _("Phát hành lúc %(when)s")
            % {"when": f"{timezone.localtime(statement.issued_at):%H:%M %d/%m/%Y}"}
        ),
        Spacer(1, 4 * mm),
    ]
    summary = Table(
        [[p(label), p(format_vnd(amount), figure)] for label, amount in figure_rows(statement)]
        + [[p(_("COD đơn vị vận chuyển thu hộ")), p(format_vnd(statement.cod_collected), figure)]],
        colWidths=[70 * mm, 40 * mm],
        hAlign="LEFT",
    )
    summary.setStyle(grid)
    flow += [summary, Spacer(1, 5 * mm)]
    rows = [[p(h, strong) for h in line_headers()]]
    for charge in lines:
        cells = line_row(charge)
        rows.append(
            [p(cells[0]), p(cells[1]), p(cells[2])]
            + [p(_number(v), figure) for v in cells[3:5]]
            + [p(f"{charge.commission_percent.normalize()}%", figure)]
            + [p(_number(v), figure) for v in cells[6:]]
        )
    widths = [20, 34, 70, 16, 26, 20, 24, 22, 22]
    table = Table(rows, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(grid)
    flow.append(table)
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=statement.number,
    ).build(flow)
    return buffer.getvalue()
