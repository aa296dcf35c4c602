"""Evidence attachments: only photos (JPEG, PNG, WebP) and PDF documents, judged by content."""

import hashlib
import io
from dataclasses import dataclass

from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError

from marketplace.errors import DomainError
from traceability.errors import TraceError

MAX_BYTES = 5 * 1024 * 1024
_IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# Stored files are named by their SHA-256 and this extension, so they open as what they are.
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}


@dataclass(frozen=True)
class Evidence:
    name: str
    content: bytes


def sniff_content_type(evidence: Evidence) -> str:
    """The real type of the bytes (the file name and the client's claim are not trusted)."""
    data = evidence.content
    if not data:
        raise DomainError(
            TraceError.EMPTY_FILE,
            gettext("Tệp '%(name)s' rỗng.") % {"name": evidence.name},
            "attachments",
        )
    if len(data) > MAX_BYTES:
        raise DomainError(
            TraceError.FILE_TOO_LARGE,
            gettext("Tệp '%(name)s' lớn hơn 5 MB.") % {"name": evidence.name},
            "attachments",
        )
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]:
        return "application/pdf"
    try:
        with Image.open(io.BytesIO(data)) as image:
            fmt = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        fmt = None
    if fmt in _IMAGE_TYPES:
        return _IMAGE_TYPES[fmt]
    raise DomainError(
        TraceError.UNSUPPORTED_FILE,
        gettext("Tệp '%(name)s' không phải ảnh (JPEG, PNG, WebP) hay PDF.")
        % {"name": evidence.name},
        "attachments",
    )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
