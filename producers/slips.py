"""Shipping slips: one A6 page per sub-order, many in one PDF for a batch print.

Each slip carries sender and recipient, the VPostcode with its Open Location Code, a Code 128
barcode of the order number (couriers scan it), the amount to collect and the item list.
reportlab draws the barcode as vectors, so it stays sharp on any thermal or laser printer.
"""

import io

from reportlab.graphics.barcode import code128
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from marketplace.addresses import centres, vpostcode
from marketplace.checkout.payment_state import PaymentState, cod_amount, payment_state
from marketplace.fonts import pdf_fonts
from marketplace.money import format_vnd
from marketplace.text import nfc

MARGIN = 6 * mm


def _olc(sub) -> str:
    order = sub.order
    if not order.vpostcode:
        return ""
    centre = centres.ward_centre(order.ward)
    return vpostcode.open_location_code(
        order.vpostcode, vpostcode.Location(*centre) if centre else None
    )


class _Writer:
    """Lines of text top-down on one slip, wrapped to the page width."""

    def __init__(self, pdf: canvas.Canvas, top: float):
        self.pdf, self.y = pdf, top
        self.regular, self.bold = pdf_fonts()
        self.width = A6[0] - 2 * MARGIN

    def line(self, text: str, size: float = 8.5, bold: bool = False, gap: float = 1.3) -> None:
        font = self.bold if bold else self.regular
        for part in self._wrap(nfc(text), font, size):
            self.pdf.setFont(font, size)
            self.pdf.drawString(MARGIN, self.y - size, part)
            self.y -= size * gap

    def _wrap(self, text: str, font: str, size: float) -> list[str]:
        words, lines, current = text.split(), [], ""
        for word in words:
            trial = f"{current} {word}".strip()
            if pdfmetrics.stringWidth(trial, font, size) <= self.width or not current:
                current = trial
            else:
                lines.append(current)
                current = word
        return [*lines, current] if current else lines or [""]

    def rule(self) -> None:
        self.y -= 2
        self.pdf.setLineWidth(0.5)
        self.pdf.line(MARGIN, self.y, A6[0] - MARGIN, self.y)
        self.y -= 4


def _slip(pdf: canvas.Canvas, sub) -> None:
    order, producer = sub.order, sub.producer
    payment = getattr(order, "payment", None)
    width, height = A6
    write = _Writer(pdf, height - MARGIN)
    write.line("PHIẾU GỬI HÀNG · Chợ OCOP An Giang", 9, bold=True)
    barcode = code128.Code128(order.number, barHeight=14 * mm, barWidth=0.42 * mm, quiet=True)
    barcode.drawOn(pdf, (width - barcode.width) / 2, write.y - 14 * mm - 2)
    write.y -= 14 * mm + 6
    write.line(f"Đơn {order.number}", 13, bold=True)
    write.rule()
    ward = producer.ward
    write.line("NGƯỜI GỬI", 7, bold=True)
    write.line(producer.name, 8.5, bold=True)
    if producer.phone:
        write.line(f"ĐT: {producer.phone}")
    sender_place = ", ".join(
        p for p in (producer.street_address, ward.name, ward.province.name) if p
    )
    write.line(sender_place)
    write.rule()
    write.line("NGƯỜI NHẬN", 7, bold=True)
    write.line(order.full_name, 11, bold=True)
    write.line(f"ĐT: {order.phone_display}", 10, bold=True)
    write.line(f"{order.street_address}, {order.ward.name}, {order.province.name}")
    if order.vpostcode:
        plus = _olc(sub)
        write.line(f"VPostcode: {order.vpostcode}" + (f" · Plus code: {plus}" if plus else ""))
    write.rule()
    state = payment_state(payment)
    if state == PaymentState.COD:
        write.line(f"THU HỘ (COD): {format_vnd(cod_amount(sub, payment))}", 12, bold=True)
    else:
        write.line("ĐÃ THANH TOÁN — KHÔNG THU TIỀN", 10, bold=True)
    write.rule()
    for line in sub.lines.all():
        if line.cancelled_at is not None:
            continue  # not in the parcel
        lots = ", ".join(item.batch.lot for item in line.lots.all())
        write.line(f"{line.quantity} × {line.name}" + (f" (lô {lots})" if lots else ""), 8)
    if order.note:
        write.line(f"Ghi chú: {order.note}", 8)


def slips_pdf(sub_orders) -> bytes:
    """One A6 page per sub-order (sub-orders loaded with `selectors.sub_orders_for`)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A6, pageCompression=1)
    pdf.setTitle("Phiếu gửi hàng")
    for sub in sub_orders:
        _slip(pdf, sub)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
