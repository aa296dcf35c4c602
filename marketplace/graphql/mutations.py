"""One base for every mutation: check the declared permission, run, map domain errors.

A mutation says what it needs as a class attribute: `permission = Permission.X` (checked before
anything else, a denial answers in `errors`) or `public = "why anyone may call it"`, and which
domains' codes it may answer with: `error_codes = (CatalogError, ...)`, listed in the schema's
description of the mutation. Its `perform(info, **arguments)` returns the payload; a
`DomainError` it raises becomes the payload's `errors { field code message }`, in the payload's
own error type, with the service's snake_case field in the API's camelCase.
"""

from enum import StrEnum

import graphene
from graphene.types.structures import Structure

from marketplace import access
from marketplace.access import Permission
from marketplace.errors import AccessError, CommonError, DomainError, camel_field


def _error_type(payload):
    kind = payload._meta.fields["errors"].type
    while isinstance(kind, Structure):  # NonNull(List(NonNull(Error)))
        kind = kind.of_type
    return kind


class DomainMutation(graphene.Mutation):
    class Meta:
        abstract = True

    permission: Permission | None = None
    public: str = ""
    error_codes: tuple[type[StrEnum], ...] = ()
    # A service's field name → the input's (snake_case) where the two differ.
    field_names: dict[str, str] = {}

    @classmethod
    def __init_subclass_with_meta__(cls, **options):
        super().__init_subclass_with_meta__(**options)
        if cls.permission is not None:
            access.declare(cls, cls.permission)
        elif cls.public:
            access.public(cls.public)(cls)

    @classmethod
    def codes(cls) -> frozenset[str]:
        """Every code this mutation may answer with."""
        enums = (*cls.error_codes, CommonError) + ((AccessError,) if cls.permission else ())
        return frozenset(code for enum in enums for code in enum)

    @classmethod
    def undeclared(cls, exc: DomainError) -> list[str]:
        """The codes of `exc` this mutation does not list (the test suite fails on any)."""
        return [str(e.code) for e in exc.each() if str(e.code) not in cls.codes()]

    @classmethod
    def Field(cls, *args, description=None, **kwargs):
        own = description or cls._meta.description or ""
        codes = ", ".join(sorted(cls.codes()))
        return super().Field(*args, description=f"{own}\n\nError codes: {codes}.".strip(), **kwargs)

    @classmethod
    def mutate(cls, root, info, **arguments):
        try:
            if cls.permission is not None:
                access.require(info.context.user, cls.permission)
            return cls.perform(info, **arguments)
        except DomainError as exc:
            return cls.failure(exc, info, **arguments)

    @classmethod
    def perform(cls, info, **arguments):
        raise NotImplementedError

    @classmethod
    def failure(cls, exc: DomainError, info, **arguments):
        """The payload for a refused mutation: only its errors."""
        return cls._meta.output(errors=cls.errors_for(exc))

    @classmethod
    def errors_for(cls, exc: DomainError) -> list:
        error_type = _error_type(cls._meta.output)
        return [
            error_type(
                field=camel_field(cls.field_names.get(e.field, e.field)),
                code=e.code,
                message=e.message,
            )
            for e in exc.each()
        ]
