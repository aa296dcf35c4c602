"""The rates in force when the ledger began, seeded by migration 0004 (plain data, no models).

Withholding: Decree 117/2025/NĐ-CP (in force 1 July 2025), Article 5: a platform with a payment
function withholds, for household businesses and individuals, VAT and PIT at these percentages
of their revenue on it. Firms and cooperatives declare their own tax, so they have no rows.
Later changes are new rows in the admin (Thuế khấu trừ), with their own dates of effect.

Commission: the platform's launch terms, one rate for every OCOP group; a producer's own rate
(the admin, Mức hoa hồng) overrides its group's.
"""

import datetime
from decimal import Decimal

DECREE_117_FROM = datetime.date(2025, 7, 1)
DECREE_117 = "Nghị định 117/2025/NĐ-CP, Điều 5"
WITHHELD_KINDS = ("ho_kinh_doanh", "co_so")

# sale type → (VAT %, PIT %) for resident household businesses and individuals.
WITHHOLDING: dict[str, tuple[Decimal, Decimal]] = {
    "goods": (Decimal("1"), Decimal("0.5")),
    "services": (Decimal("5"), Decimal("2")),
    "transport": (Decimal("3"), Decimal("1.5")),
    "other": (Decimal("2"), Decimal("1")),
}

COMMISSION_FROM = DECREE_117_FROM
COMMISSION_PERCENT = Decimal("5")
COMMISSION_NOTE = "Mức hoa hồng khi sàn bắt đầu thu (mọi nhóm OCOP)"
