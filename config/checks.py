"""Deployment guard: refuse the public placeholder secrets that make the zero-setup run work.

The defaults in settings (stripe-mock's keys, a webhook secret anyone can read in this
repository, a sample VietQR account, a SECRET_KEY generated into var/) let `make run` and
`make test` work on a fresh machine. In production each of them is a hole: with the public
webhook secret anyone can sign a "payment succeeded" event. So `manage.py check --deploy`
reports every one as an error, and the WSGI application refuses to start with `DEBUG` off
unless the run is explicitly the local demo (`LOCAL_DEMO=1`, which `make run` sets).
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

# Values that ship in settings.py or are public (stripe-mock's documented test keys).
PLACEHOLDERS = {
    "STRIPE_SECRET_KEY": {"", "sk_test_123"},
    "STRIPE_PUBLISHABLE_KEY": {"", "pk_test_123"},
    "STRIPE_WEBHOOK_SECRET": {"", "whsec_test_secret"},
    "VIETQR_ACCOUNT_NUMBER": {"", "0011012345678"},
}


def placeholder_problems() -> list[str]:
    """One line per placeholder secret in use, naming the variable to set."""
    problems = [
        f"{name} is a public placeholder ({getattr(settings, name)!r}): set the real value"
        for name, values in PLACEHOLDERS.items()
        if getattr(settings, name, "").strip() in values
    ]
    if not settings.SECRET_KEY_FROM_ENV:
        problems.append("SECRET_KEY is not set in the environment (a generated key is in use)")
    return problems


@checks.register(checks.Tags.security, deploy=True)
def check_placeholder_secrets(app_configs, **kwargs):
    return [
        checks.Error(problem, hint="See README, Production.", id="ocop.E001")
        for problem in placeholder_problems()
    ]


def refuse_placeholders() -> None:
    """Called when the WSGI application loads: production never starts on placeholders."""
    if settings.DEBUG or settings.LOCAL_DEMO:
        return
    problems = placeholder_problems()
    if problems:
        raise ImproperlyConfigured(
            "Refusing to serve with DEBUG off and placeholder secrets (LOCAL_DEMO=1 is the "
            "explicit local demo): " + "; ".join(problems)
        )


@checks.register(checks.Tags.database)
def check_replicas_follow_postgresql(app_configs, **kwargs):
    """Read replicas are streaming copies of a PostgreSQL primary (config/db_router.py): beside
    another engine they would be some other database, and pages would read stale or foreign
    rows."""
    replicas = [alias for alias in settings.DATABASES if alias.startswith("replica_")]
    engines = {settings.DATABASES[alias]["ENGINE"] for alias in ["default", *replicas]}
    if replicas and engines != {"django.db.backends.postgresql"}:
        return [
            checks.Error(
                "DATABASE_REPLICA_URLS needs DATABASE_URL and every replica on PostgreSQL",
                hint="Unset DATABASE_REPLICA_URLS, or point DATABASE_URL at the primary.",
                id="ocop.E002",
            )
        ]
    return []
