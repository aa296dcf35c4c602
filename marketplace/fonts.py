"""The fonts every PDF draws Vietnamese with (shipping slips, invoices).

DejaVu (Debian's fonts-dejavu-core, in the image) has every Vietnamese diacritic; without it the
PDFs fall back to Helvetica and still print, without the marks.
"""

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF")]


@cache
def pdf_fonts() -> tuple[str, str]:
    """(regular, bold) font names registered with reportlab."""
    for directory in _FONT_DIRS:
        regular, bold = directory / "DejaVuSans.ttf", directory / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("VnSans", str(regular)))
            pdfmetrics.registerFont(TTFont("VnSans-Bold", str(bold)))
            return "VnSans", "VnSans-Bold"
    return "Helvetica", "Helvetica-Bold"
