"""`Authorization: Bearer TOKEN`: the one place a request becomes a producer's API client.

Placed after AuthenticationMiddleware: a valid token replaces whatever session came along
(and skips the CSRF check, which protects cookies, not tokens); an invalid one is a 401 at
once, never a silent fall-back to anonymous. Requests without the header are untouched, so a
cookie session is CSRF-checked as before.
"""

from django.http import JsonResponse
from django.utils.translation import gettext

from marketplace.errors import AccessError
from producers.tokens import services

ACCEPTED_PATHS = ("/graphql/", "/epcis/")


class BearerTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _, credentials = header.partition(" ")
        if scheme.lower() != "bearer":
            return self.get_response(request)
        if not request.path.startswith(ACCEPTED_PATHS):
            # A token is for a system's API calls; the portal (invitations, tokens) needs a person.
            return JsonResponse(
                {
                    "errors": [
                        {
                            "code": AccessError.FORBIDDEN,
                            "message": gettext("Mã API chỉ dùng cho GraphQL và EPCIS."),
                        }
                    ]
                },
                status=403,
            )
        token = services.authenticate(credentials)
        if token is None:
            response = JsonResponse(
                {
                    "errors": [
                        {
                            "code": AccessError.UNAUTHENTICATED,
                            "message": gettext("Mã API không hợp lệ hoặc đã bị thu hồi."),
                        }
                    ]
                },
                status=401,
            )
            response["WWW-Authenticate"] = 'Bearer realm="ocop", error="invalid_token"'
            return response
        request.user = token.user
        request.api_token = token
        request._dont_enforce_csrf_checks = True
        return self.get_response(request)
