"""Bank statements for VietQR reconciliation: reading the CSV, and amounts as banks write them.

Banks export the same 237 000 đồng as `237000`, `237.000`, `237,000`, `237000.00`,
`237.000,00` or `237,000.00`. Those are read as đồng; anything that could mean two things or
carries a non-zero fraction of a đồng is refused for that line, with the reason, and the
rest of the statement is still reconciled.
"""

import csv
import hashlib
import re
from dataclasses import dataclass

_SUFFIX = re.compile(r"(vnd|vnđ|đồng|đ|₫)$", re.IGNORECASE)
_PLAIN = re.compile(r"\d+")
_DECIMAL = re.compile(r"(?P<whole>\d+)[.,](?P<fraction>\d{1,2})")
_GROUPED = re.compile(r"\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*")
_GROUPED_DECIMAL = re.compile(
    r"(?P<whole>\d{1,3}(?P<sep>[.,])\d{3}(?:(?P=sep)\d{3})*)(?P<point>[.,])(?P<fraction>\d{1,2})"
)


class AmountError(ValueError):
    pass


def parse_amount(text: str) -> int:
    """Whole đồng from a statement cell; AmountError (with the reason) otherwise."""
    compact = _SUFFIX.sub("", "".join((text or "").split())).strip()
    if _PLAIN.fullmatch(compact):
        return int(compact)
    if _GROUPED.fullmatch(compact):
        return int(re.sub(r"[.,]", "", compact))
    whole = fraction = None
    if match := _DECIMAL.fullmatch(compact):
        whole, fraction = match["whole"], match["fraction"]
    elif (match := _GROUPED_DECIMAL.fullmatch(compact)) and match["sep"] != match["point"]:
        whole, fraction = re.sub(r"[.,]", "", match["whole"]), match["fraction"]
    if whole is None:
        raise AmountError(f"số tiền không hợp lệ “{text}” (ví dụ đúng: 237000, 237.000, 237000.00)")
    if int(fraction):
        raise AmountError(f"số tiền “{text}” có phần lẻ của đồng")
    return int(whole)


@dataclass(frozen=True)
class StatementLine:
    line: int
    reference: str  # the transfer's description, where banks put the bill number
    amount: int
    transaction_id: str
    error: str = ""  # why the line cannot be read (then amount is 0 and nothing is applied)


class MissingColumns(ValueError):
    pass


def read_statement(path: str) -> list[StatementLine]:
    """The CSV needs `reference` and `amount`; `transaction_id` is the idempotency key if given."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"reference", "amount"} - set(reader.fieldnames or [])
        if missing:
            raise MissingColumns(f"{path}: thiếu cột {', '.join(sorted(missing))}")
        lines = []
        for number, row in enumerate(reader, start=2):
            cell = row["amount"] or ""
            reference = (row["reference"] or "").strip()
            # The key of a line without a transaction id hashes the cell as earlier versions
            # did, so a statement imported before is still recognised.
            digits = cell.replace(".", "").replace(",", "").strip()
            transaction_id = (row.get("transaction_id") or "").strip() or hashlib.sha256(
                f"{reference}|{digits}|{row.get('date', '')}".encode()
            ).hexdigest()[:32]
            try:
                amount, error = parse_amount(cell), ""
            except AmountError as exc:
                amount, error = 0, str(exc)
            lines.append(StatementLine(number, reference, amount, transaction_id, error))
        return lines
