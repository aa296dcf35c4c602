"""The error codes of Vietnamese addresses, phones and postcodes.

How they travel to the API and the pages: marketplace.errors.
"""

from enum import StrEnum


class AddressError(StrEnum):
    INVALID_PHONE = "INVALID_PHONE"
    INVALID_POSTCODE = "INVALID_POSTCODE"
    INVALID_VPOSTCODE = "INVALID_VPOSTCODE"
    INVALID_WARD = "INVALID_WARD"
    OLD_ADDRESS_NOT_FOUND = "OLD_ADDRESS_NOT_FOUND"
    REQUIRED = "REQUIRED"
