"""Domain errors: every rule a service enforces fails with a stable code, a field and a message.

Each domain lists its codes in its own `errors.py` as a `StrEnum` (as Saleor's error_codes.py):
`marketplace.catalog.errors.CatalogError`, `producers.errors.ProducerError`, ... A service
raises `DomainError(CatalogError.SKU_TAKEN, message, "sku")` with its own snake_case field name;
the edges translate: GraphQL mutations (marketplace.graphql.mutations.DomainMutation) give
`errors { field code message }` with the field in camelCase, forms (marketplace.form_errors)
put the message on the form's field, pages show the (Vietnamese) message.
"""

import re
from enum import StrEnum


class AccessError(StrEnum):
    """Refusals of marketplace.access; any guarded endpoint may answer them."""

    UNAUTHENTICATED = "UNAUTHENTICATED"  # not signed in (trace and lot endpoints)
    PERMISSION_DENIED = "PERMISSION_DENIED"  # signed in without the permission
    # Kept beside PERMISSION_DENIED for the staff-only fields that clients already know by it.
    FORBIDDEN = "FORBIDDEN"


class CommonError(StrEnum):
    """Codes any service may raise through the shared helpers (marketplace.models_util)."""

    INVALID = "INVALID"  # a model's own validation (full_clean) refused a value


class DomainError(Exception):
    def __init__(self, code: StrEnum, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def each(self) -> list["DomainError"]:
        """The single errors this one stands for (several for a ValidationFailed)."""
        return [self]

    def __repr__(self) -> str:
        return f"DomainError({str(self.code)!r}, {self.message!r}, field={self.field!r})"


class ValidationFailed(DomainError):
    """Several field errors at once, e.g. a form or an import row."""

    def __init__(self, errors: list[DomainError]):
        first = errors[0]
        super().__init__(first.code, "; ".join(e.message for e in errors), first.field)
        self.errors = errors

    def each(self) -> list[DomainError]:
        return list(self.errors)


def camel_field(field: str | None) -> str | None:
    """A service's snake_case field as the APIs name it: `shipping_address.ward_code` →
    `shippingAddress.wardCode`; `lines[0].sku` stays."""
    if field is None:
        return None
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), field)
