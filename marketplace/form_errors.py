"""Domain errors onto a Django form: the one helper every page uses.

A service names its fields in snake_case, as the forms do, so most errors land on the field of
the same name; `aliases` maps the few that a form calls otherwise (the service's `sku` is the
form's `product`). An error about no field of the form goes to the form as a whole.
"""

from marketplace.errors import DomainError


def add_domain_errors(form, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    aliases = aliases or {}
    for error in exc.each():
        name = aliases.get(error.field, error.field)
        form.add_error(name if name in form.fields else None, error.message)
