"""The error codes of the API layer: limits and unexpected failures.

How they travel to the API and the pages: marketplace.errors.
"""

from enum import StrEnum


class ApiError(StrEnum):
    INTERNAL_ERROR = "INTERNAL_ERROR"
    RATE_LIMITED = "RATE_LIMITED"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
