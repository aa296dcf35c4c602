"""Small helpers shared by services that upsert rows."""

from django.db import models
from django.utils.translation import gettext

from marketplace.errors import CommonError


def assign_changed(instance: models.Model, **values) -> list[str]:
    """Set only the attributes whose value differs; return their names.

    Upserts that write nothing when nothing changed keep `updated_at` honest and make
    re-running an import a true no-op.
    """
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


def full_clean_or_raise(instance: models.Model, only: list[str] | None = None) -> None:
    """Run model validation (of the fields `only` names, if given) and turn Django's
    ValidationError into our domain error."""
    from django.core.exceptions import ValidationError

    from marketplace.errors import DomainError, ValidationFailed

    exclude = None
    if only is not None:
        exclude = [f.name for f in instance._meta.fields if f.name not in only]
    try:
        instance.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as exc:
        raise ValidationFailed(
            [
                DomainError(
                    CommonError.INVALID,
                    gettext("%(field)s: %(problems)s")
                    % {"field": field, "problems": " ".join(messages)},
                    field,
                )
                for field, messages in exc.message_dict.items()
            ]
        ) from exc


def unique_slug(model: type[models.Model], base: str, suffix: str, pk) -> str:
    """The folded name if free, else name + the row's own code: stable across re-imports."""
    slug = base or suffix.lower()
    if model.objects.filter(slug=slug).exclude(pk=pk).exists():
        slug = f"{base}-{suffix.lower()}"
    return slug
