"""The error codes of search.

How they travel to the API and the pages: marketplace.errors.
"""

from enum import StrEnum


class SearchError(StrEnum):
    INVALID_CURSOR = "INVALID_CURSOR"
