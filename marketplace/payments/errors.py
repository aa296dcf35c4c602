"""The error codes of payments.

How they travel to the API and the pages: marketplace.errors.
"""

from enum import StrEnum


class PaymentError(StrEnum):
    AMOUNT_MISMATCH = "AMOUNT_MISMATCH"
    PAYMENT_METHOD_LOCKED = "PAYMENT_METHOD_LOCKED"
    PAYMENT_UNAVAILABLE = "PAYMENT_UNAVAILABLE"
