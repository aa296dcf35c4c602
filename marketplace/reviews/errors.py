"""The review domain's error codes (services raise DomainError with one of these)."""

from enum import StrEnum


class ReviewError(StrEnum):
    NOT_FOUND = "NOT_FOUND"
    INVALID_CURSOR = "INVALID_CURSOR"  # the page cursor (after) is not one this API gave
    NOT_BUYER = "NOT_BUYER"  # the caller has not proved they bought this order
    NOT_DELIVERED = "NOT_DELIVERED"
    ALREADY_REVIEWED = "ALREADY_REVIEWED"
    INVALID_RATING = "INVALID_RATING"
    TEXT_TOO_LONG = "TEXT_TOO_LONG"
    TOO_MANY_PHOTOS = "TOO_MANY_PHOTOS"
    REPLY_REQUIRED = "REPLY_REQUIRED"
    REASON_REQUIRED = "REASON_REQUIRED"
