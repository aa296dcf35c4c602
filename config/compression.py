"""Gzip for the text the app renders (HTML, JSON, CSS, JS, SVG) — never for images or files.

BREACH: compressing a page that reflects attacker-chosen text next to a secret lets an
attacker guess the secret from the compressed size. Django's mitigations are what make gzip
safe here: the CSRF token in every form is masked with a fresh random value on each response
(so the secret never repeats byte for byte), GZipMiddleware pads each response with random
bytes ("Heal The Breach", Django 4.2+), and the session cookie is SameSite=Lax, so a
cross-site request does not carry it. Static files are compressed ahead of time by WhiteNoise
and served before this middleware runs.
"""

from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/ld+json",
    "application/linkset+json",
    "application/javascript",
    "image/svg+xml",
)


class TextGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(COMPRESSIBLE):
            return response  # images, PDFs and media are compressed already
        return super().process_response(request, response)
