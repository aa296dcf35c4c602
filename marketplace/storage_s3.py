"""The S3 backends (django-storages, boto3) for the two storages of marketplace.storage.

Imported by Django only when MEDIA_S3_ENDPOINT is set (config/storages.py names them), so a
`make run` process never loads boto3.
"""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage

from marketplace.storage import cache_control


class PublicS3Storage(S3Storage):
    """Public media in a bucket anonymous users may read: plain URLs, long cache for photos."""

    querystring_auth = False
    file_overwrite = False  # as on disk: a name already taken gets a suffix, nothing is lost
    default_acl = None  # the bucket's policy decides who reads, not a per-object ACL

    def get_object_parameters(self, name):
        # `name` is the object's key: with a `location`, that prefix comes first.
        relative = name.removeprefix(f"{self.location}/") if self.location else name
        return {**super().get_object_parameters(name), "CacheControl": cache_control(relative)}

    def url(self, name, parameters=None, expire=None, http_method=None):
        # An unsigned URL is the public base and the key: joined here, a 100-card page does not
        # ask botocore to build 100 requests. MEDIA_URL is that base (config/storages.py).
        if parameters or http_method:
            return super().url(name, parameters, expire, http_method)
        return settings.MEDIA_URL + filepath_to_uri(self._normalize_name(name).lstrip("/"))


class PrivateS3Storage(S3Storage):
    """A private bucket: every URL is presigned and expires (querystring_expire)."""

    querystring_auth = True
    file_overwrite = False
    default_acl = None

    def get_object_parameters(self, name):
        return {**super().get_object_parameters(name), "CacheControl": "private, no-store"}


def ensure_buckets(s3: dict) -> list[str]:
    """Create the public and private buckets of `s3` (settings.MEDIA_S3) where missing.

    Returns the names created. Who may read them is the server's business: the public bucket
    must allow anonymous GET of objects (an S3 bucket policy; SeaweedFS: an `anonymous`
    identity with Read on it), the private one nothing without a signature."""
    import boto3
    from botocore.config import Config

    client = boto3.client(
        "s3",
        endpoint_url=s3["endpoint"],
        aws_access_key_id=s3["access_key"],
        aws_secret_access_key=s3["secret_key"],
        region_name=s3["region"],
        config=Config(
            s3={"addressing_style": "path"},
            signature_version="s3v4",
            connect_timeout=2,
            retries={"max_attempts": 1},
        ),
    )
    owned = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
    made = [name for name in (s3["bucket"], s3["private_bucket"]) if name not in owned]
    for name in made:
        client.create_bucket(Bucket=name)
    return made
