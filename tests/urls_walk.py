"""Every URL pattern of the project with a sample path that resolves to it (for the coverage
tests of rate limits and access policies)."""

import re

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

SIGN_IN_PAGES = ("/admin/login/", "/portal/dang-nhap/", "/office/dang-nhap/")
SAMPLE_VALUES = {
    "int": "1",
    "slug": "x",
    "str": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}


def _sample(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return re.sub(
            r"<(?:(\w+):)?\w+>", lambda m: SAMPLE_VALUES[m.group(1) or "str"], str(pattern)
        )

    def group(match):  # a named group: its first alternative if it lists words, else x's
        body = match.group(1)
        if re.fullmatch(r"[\w|]+", body):
            return body.split("|")[0]
        least = re.search(r"\{(\d+)", body)  # as many as its repetition asks for at least
        return "x" * int(least.group(1)) if least else "x"

    regex = re.sub(r"\(\?P<\w+>([^)]*)\)", group, str(pattern))
    return regex.lstrip("^").rstrip("$").replace("/?", "/").replace("\\.", ".")


def endpoints(patterns=None, prefix="/"):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from endpoints(entry.url_patterns, prefix + _sample(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + _sample(entry.pattern), entry
