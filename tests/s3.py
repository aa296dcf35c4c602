"""The S3 server the suite runs against when MEDIA_S3_ENDPOINT is set (CI: SeaweedFS)."""

import functools

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
