"""The thumbnail sizes stored for each product image, apart from the Pillow code that makes them,
so the model can name a thumbnail's URL without importing images.py (which imports the model)."""

from django.core.files.storage import default_storage

THUMBNAIL_SIZES = (160, 320, 640)
DEFAULT_THUMBNAIL_SIZE = 320


def pick_thumbnail_size(size: int | None) -> int:
    """The smallest stored thumbnail at least `size` pixels wide (the largest if none is)."""
    if not size:
        return DEFAULT_THUMBNAIL_SIZE
    for candidate in THUMBNAIL_SIZES:
        if candidate >= size:
            return candidate
    return THUMBNAIL_SIZES[-1]


def thumbnail_name(stored_name: str, size: int, fmt: str = "webp") -> str:
    """Thumbnails sit beside the picture they were made from, as <stem>_<size>.<webp|jpg>."""
    stem = stored_name.rsplit(".", 1)[0]
    return f"{stem}_{size}.{fmt}"


def thumbnail_url(stored_name: str, size: int | None = None, fmt: str = "webp") -> str:
    return default_storage.url(thumbnail_name(stored_name, pick_thumbnail_size(size), fmt))
