"""Content-Security-Policy on every response: scripts, styles and frames only from known places.

No page needs inline script or style: behaviour lives in static .js files and looks in static
.css, so the policy can refuse both (tests/config/test_csp.py checks every template). The one
third party is Stripe's card form (order page): its script, frames and API, as Stripe's CSP
guide lists them.
"""

from django.conf import settings

STRIPE_JS = "https://js.stripe.com"


def build_policy() -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", STRIPE_JS],
        "style-src": ["'self'"],
        # data: for the VietQR code, drawn server-side into the order page.
        "img-src": ["'self'", "data:", "https://*.stripe.com"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", "https://api.stripe.com"],
        "frame-src": [STRIPE_JS, "https://hooks.stripe.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    media = settings.MEDIA_URL
    if media.startswith(("https://", "http://")):  # uploaded photos served from elsewhere
        directives["img-src"].append("/".join(media.split("/")[:3]))
    if settings.MEDIA_S3:  # evidence photos: a signed link into the private bucket
        private = "/".join(settings.MEDIA_S3["endpoint"].split("/")[:3])
        if private not in directives["img-src"]:
            directives["img-src"].append(private)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = build_policy()

    def __call__(self, request):
        response = self.get_response(request)
        # GraphiQL (GET /graphql/ with DEBUG on, never in production) loads its code from a CDN.
        if settings.DEBUG and request.path == "/graphql/":
            return response
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
