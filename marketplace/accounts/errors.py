"""The error codes of shopper accounts.

How they travel to the API and the pages: marketplace.errors.
"""

from enum import StrEnum


class AccountError(StrEnum):
    NOT_FOUND = "NOT_FOUND"
