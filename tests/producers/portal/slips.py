"""Reading a shipping slip back the way a courier's scanner and a person would."""

import pypdfium2
import zxingcpp


def pages(pdf: bytes) -> list:
    return list(pypdfium2.PdfDocument(pdf))


def page_size_mm(page) -> tuple[int, int]:
    width, height = page.get_size()
    return round(width / 72 * 25.4), round(height / 72 * 25.4)


def page_text(page) -> str:
    return page.get_textpage().get_text_range()


def code128(page) -> list[str]:
    """The Code 128 barcodes zxing-cpp decodes from the page rendered at 300 dpi."""
    image = page.render(scale=300 / 72).to_pil()
    return [
        result.text
        for result in zxingcpp.read_barcodes(image)
        if result.format == zxingcpp.BarcodeFormat.Code128
    ]
