"""Where uploaded and generated files live: public media, and private files behind signed links.

Two storages, both through Django's `STORAGES` (config/storages.py builds them):

- `default`: public media (product and review photos, their thumbnails), read by URL by anyone.
  On local disk under MEDIA_ROOT (`PublicFileSystemStorage`), or an S3 bucket that allows
  anonymous reads.
- `private`: files only some people may see (trace evidence, and any file that is not public).
  Never linked directly: a view first asks the access policy, then redirects to `signed_url()`,
  a link that works for a few minutes only. On S3 that is a presigned URL of a private bucket;
  on local disk a link to /media-private/ signed with SECRET_KEY (`SignedFileSystemStorage`).
The S3 classes are in marketplace/storage_s3.py, imported only when a bucket is configured.

Every read and write goes through these storage objects (never MEDIA_ROOT paths), so the same
code runs on a laptop and on a cluster of web nodes sharing one bucket.
"""

import time
import urllib.parse

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.encoding import filepath_to_uri
from django.utils.functional import LazyObject, empty

# Product photos and their thumbnails are written once under a random name and never rewritten
# (a new upload gets a new name), so browsers may keep them for a year; other media briefly.
FOREVER = "public, max-age=31536000, immutable"
SHORT = "public, max-age=3600"
IMMUTABLE_PREFIXES = ("products/",)
PRIVATE_URL = "/media-private/"
_SALT = "marketplace.storage.signed"


def cache_control(name: str) -> str:
    return FOREVER if name.startswith(IMMUTABLE_PREFIXES) else SHORT


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = _PrivateStorage()


def private_storage_for_field():
    """For `FileField(storage=...)`: a callable keeps migrations free of the backend's settings."""
    return private_storage


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    # Django resets its own storages when STORAGES changes (tests); the private handle follows.
    if setting in {"STORAGES", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"}:
        private_storage._wrapped = empty


def signed_url(name: str, *, seconds: int | None = None) -> str:
    """A link to a private file that works for `seconds` (SIGNED_URL_SECONDS by default).

    Call it only after the access policy has allowed the request: the link itself is the
    permission, for anyone who holds it, until it expires."""
    seconds = settings.SIGNED_URL_SECONDS if seconds is None else seconds
    return private_storage.url(name, expire=seconds)


class PublicFileSystemStorage(FileSystemStorage):
    """Public media on local disk, its URLs joined as PublicS3Storage joins them."""

    def url(self, name):
        # Django joins with urljoin, a third of a 100-card page's thumbnail cost. The base ends
        # in "/" and a quoted name has no scheme, "?" or "#", so concatenation gives the same
        # URL, except for the empty and dot segments urljoin folds: those take Django's way.
        path = (filepath_to_uri(name) or "").lstrip("/")
        if self.base_url is None or "//" in path or "/." in path or path.startswith("."):
            return super().url(name)
        return self.base_url + path


class SignedFileSystemStorage(FileSystemStorage):
    """Private files on local disk; url() gives a short-lived link signed with SECRET_KEY."""

    def url(self, name, expire=None):
        expire = settings.SIGNED_URL_SECONDS if expire is None else expire
        token = signing.dumps({"n": name, "e": int(time.time()) + int(expire)}, salt=_SALT)
        return PRIVATE_URL + urllib.parse.quote(token)


def name_from_token(token: str) -> str | None:
    """The file a /media-private/ link names, or None when it is forged, altered or expired."""
    try:
        payload = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or int(payload.get("e", 0)) < time.time():
        return None
    name = payload.get("n")
    return name if isinstance(name, str) else None
