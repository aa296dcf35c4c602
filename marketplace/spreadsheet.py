"""Cells for files a person opens in a spreadsheet (CSV, XLSX): text never runs as a formula.

Every exporter writes its cells through `safe_cell`. A producer or register row named
`=HYPERLINK("http://…")` would otherwise be a live formula in the trade office's Excel
(openpyxl stores such a string as a formula; Excel and LibreOffice evaluate it from CSV).
"""

# OWASP "CSV injection": a text cell starting with one of these is taken for a formula. The
# full-width forms are included because Excel in East Asian locales reads them the same way.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value):
    """The value to write: text that would start a formula gets a leading apostrophe, which
    spreadsheets read as "this is text"; numbers, dates and other text are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
