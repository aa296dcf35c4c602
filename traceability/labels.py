"""QR labels: one PNG label, or an A4 PDF sheet of them, carrying the GS1 Digital Link URI.

Sizes are for 300 dpi printing: QR modules of ~0.5 mm and a 4-module quiet zone scan
reliably with phone cameras; the human-readable GTIN, lot and best-before date sit beside it.
"""

import io
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from traceability import digital_link

DPI = 300
A4 = (2480, 3508)  # 210 × 297 mm at 300 dpi
LABEL = (780, 400)  # 66 × 34 mm
COLUMNS, ROWS = 3, 8
_FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF")]


def _font(size: int, bold: bool = False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for directory in _FONT_DIRS:
        if (directory / name).exists():
            return ImageFont.truetype(str(directory / name), size)
    return ImageFont.load_default(size=size)


def qr_image(uri: str, side: int) -> Image.Image:
    """The QR code at the largest whole number of pixels per module that fits in `side`."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=4)
    code.add_data(uri)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").get_image().convert("L")
    scale = max(1, side // image.size[0])
    return image.resize((image.size[0] * scale,) * 2, Image.NEAREST)


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> str:
    while text and draw.textlength(text, font=font) > width:
        text = text[:-2] + "…"
    return text


def label_image(batch, serial: str | None = None) -> Image.Image:
    label = Image.new("L", LABEL, 255)
    qr = qr_image(digital_link.uri_for(batch, serial), LABEL[1] - 20)
    side = qr.size[0]
    label.paste(qr, (10, (LABEL[1] - side) // 2))
    draw = ImageDraw.Draw(label)
    x, width = side + 24, LABEL[0] - side - 34
    lines = [
        (_fit(draw, batch.product.name, _font(26, bold=True), width), _font(26, bold=True)),
        (f"(01) {digital_link.uri_for(batch).split('/')[4]}", _font(24)),
        (f"(10) {batch.lot}", _font(24)),
    ]
    if serial:
        lines.append((f"(21) {serial}", _font(24)))
    if batch.best_before:
        lines.append((f"HSD/BB {batch.best_before:%d/%m/%Y}", _font(24)))
    y = 40
    for text, font in lines:
        draw.text((x, y), text, font=font, fill=0)
        y += font.size + 18
    return label


def label_png(batch, serial: str | None = None) -> bytes:
    buffer = io.BytesIO()
    label_image(batch, serial).save(buffer, "PNG", dpi=(DPI, DPI))
    return buffer.getvalue()


def sheet_pdf(batch, serials: list[str] | None = None, copies: int = COLUMNS * ROWS) -> bytes:
    """A4 pages of labels: one per serial for serialised lots, else `copies` identical ones."""
    items = serials if serials else [None] * copies
    per_page = COLUMNS * ROWS
    margin_x = (A4[0] - COLUMNS * LABEL[0]) // 2
    margin_y = (A4[1] - ROWS * LABEL[1]) // 2
    pages = []
    for start in range(0, len(items), per_page):
        page = Image.new("1", A4, 1)  # bilevel: crisp modules, small files
        for index, serial in enumerate(items[start : start + per_page]):
            row, column = divmod(index, COLUMNS)
            page.paste(
                label_image(batch, serial),
                (margin_x + column * LABEL[0], margin_y + row * LABEL[1]),
            )
        pages.append(page)
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
    return buffer.getvalue()
