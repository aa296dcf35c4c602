"""Brute-force guard for every sign-in (admin, portal, office): failures counted per account and
per client, whichever form or view called `authenticate()`.

`GuardedModelBackend` (the one AUTHENTICATION_BACKENDS entry) is Django's ModelBackend that,
once an account or a client has failed too often, refuses the attempt before any password is
checked. Each failure Django reports (`user_login_failed`) is counted. A view wrapped
in `@rate_limited("signin")` answers such a refusal with the same 429 as its own limit.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from config import ratelimit

ACCOUNT = "signin-failed-account"
CLIENT = "signin-failed-client"


def _account(credentials: dict) -> str | None:
    username = credentials.get("username")
    return username.strip().casefold() if isinstance(username, str) and username else None


class GuardedModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **credentials):
        account = _account({"username": username})
        try:
            if account is not None:
                ratelimit.check(ACCOUNT, account)
            if request is not None:
                ratelimit.check(CLIENT, ratelimit.client_address(request))
        except ratelimit.RateLimited as exc:
            if request is not None:
                request.rate_limited = exc
            raise PermissionDenied from exc  # authenticate() stops, reports the failure
        return super().authenticate(request, username, password, **credentials)


@receiver(user_login_failed, dispatch_uid="config.signin_guard.count_failure")
def count_failure(sender, credentials, request=None, **kwargs):
    account = _account(credentials)
    for name, who in (
        (ACCOUNT, account),
        (CLIENT, ratelimit.client_address(request) if request is not None else None),
    ):
        if who is not None:
            try:
                ratelimit.hit(name, who)
            except ratelimit.RateLimited:
                pass  # counted; the next attempt is refused by the backend
