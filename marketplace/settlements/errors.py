"""The error codes of the ledger.

How they travel to the API and the pages: marketplace.errors.
"""

from enum import StrEnum


class SettlementError(StrEnum):
    UNBALANCED_ENTRY = "UNBALANCED_ENTRY"
    EMPTY_POSTING = "EMPTY_POSTING"
    RETURN_EXCEEDS_SALE = "RETURN_EXCEEDS_SALE"
    MISSING_TAX_ID = "MISSING_TAX_ID"
    COD_UNKNOWN_TRACKING = "COD_UNKNOWN_TRACKING"
    COD_ALREADY_REMITTED = "COD_ALREADY_REMITTED"
    COD_AMOUNT_MISMATCH = "COD_AMOUNT_MISMATCH"
    COD_INVALID_FILE = "COD_INVALID_FILE"
