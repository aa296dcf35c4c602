"""The error codes of the ledger.

How they travel to the API and the pages: marketplace.errors.
"""

from enum import StrEnum


class SettlementError(StrEnum):
    UNBALANCED_ENTRY = "UNBALANCED_ENTRY"
    EMPTY_POSTING = "EMPTY_POSTING"
