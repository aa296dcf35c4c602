"""The STORAGES setting: local folders by default, S3 buckets when MEDIA_S3_ENDPOINT is set.

A plain function of its inputs, so the settings and the test suite build the same thing.
"""

from pathlib import Path

STATIC_BACKENDS = {
    True: "django.contrib.staticfiles.storage.StaticFilesStorage",
    False: "whitenoise.storage.CompressedManifestStaticFilesStorage",
}


def build_storages(
    *, plain_static: bool, private_root: Path, s3: dict | None, signed_url_seconds: int
) -> dict:
    """`s3`: endpoint, bucket, private_bucket, access_key, secret_key, region, public_url."""
    storages = {"staticfiles": {"BACKEND": STATIC_BACKENDS[plain_static]}}
    if not s3:
        storages["default"] = {"BACKEND": "marketplace.storage.PublicFileSystemStorage"}
        storages["private"] = {
            "BACKEND": "marketplace.storage.SignedFileSystemStorage",
            "OPTIONS": {"location": str(private_root), "base_url": None},
        }
        return storages
    common = {
        "endpoint_url": s3["endpoint"],
        "access_key": s3["access_key"],
        "secret_key": s3["secret_key"],
        "region_name": s3["region"],
        # Path-style addressing (endpoint/bucket/key) works on every S3-compatible server;
        # virtual hosts need a DNS name per bucket.
        "addressing_style": "path",
        "signature_version": "s3v4",
    }
    public = {**common, "bucket_name": s3["bucket"]}
    if s3.get("public_url"):  # a CDN or web server in front of the public bucket
        scheme, _, rest = s3["public_url"].rstrip("/").partition("://")
        public |= {"custom_domain": rest, "url_protocol": f"{scheme}:"}
    storages["default"] = {"BACKEND": "marketplace.storage_s3.PublicS3Storage", "OPTIONS": public}
    storages["private"] = {
        "BACKEND": "marketplace.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            **common,
            "bucket_name": s3["private_bucket"],
            "querystring_expire": signed_url_seconds,
        },
    }
    return storages


def public_media_url(s3: dict | None, default: str) -> str:
    """Where browsers fetch public media: a CDN or the bucket itself, else the app's /media/."""
    if not s3:
        return default
    base = s3.get("public_url") or f"{s3['endpoint'].rstrip('/')}/{s3['bucket']}"
    return base.rstrip("/") + "/"
