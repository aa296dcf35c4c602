"""Domain errors: every rule a service enforces fails with a stable code, a field and a message.

The API maps them to `errors { field code message }`; pages show the (Vietnamese) message.
"""


class DomainError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.message!r}, field={self.field!r})"


class ValidationFailed(DomainError):
    """Several field errors at once, e.g. a form or an import row."""

    def __init__(self, errors: list[DomainError]):
        first = errors[0]
        super().__init__(first.code, "; ".join(e.message for e in errors), first.field)
        self.errors = errors
