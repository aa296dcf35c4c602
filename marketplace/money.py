"""Money is integer đồng; this is the one way to show it."""

NBSP = "\u00a0"


def format_vnd(amount: int) -> str:
    """125000 → '125.000 ₫': dots group thousands, a non-breaking space before the sign."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", ".") + f"{NBSP}₫"
