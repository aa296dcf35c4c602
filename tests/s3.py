"""The S3 server the suite runs against when MEDIA_S3_ENDPOINT is set (CI: SeaweedFS)."""

import functools
import urllib.error
import urllib.request

from botocore.exceptions import BotoCoreError, ClientError


@functools.cache
def _ensure(*values: str) -> bool:
    from marketplace.storage_s3 import ensure_buckets

    keys = ("endpoint", "bucket", "private_bucket", "access_key", "secret_key", "region")
    try:
        ensure_buckets(dict(zip(keys, values, strict=True)))
    except (BotoCoreError, ClientError):
        return False
    return True


def ensure_buckets(s3: dict) -> bool:
    """Make both buckets if missing (once per process); False when the server does not answer
    or refuses the keys."""
    keys = ("endpoint", "bucket", "private_bucket", "access_key", "secret_key", "region")
    return _ensure(*(s3[key] for key in keys))


def fetch(client, url: str):
    """(status, body, headers) of a GET of a media link as a browser would follow it: through
    the app for its own links (/media/, /media-private/), over HTTP to the S3 server otherwise."""
    if url.startswith("/"):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, body, response.headers
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - loopback server
            return answer.status, answer.read(), answer.headers
    except urllib.error.HTTPError as exc:
        return exc.code, b"", exc.headers
