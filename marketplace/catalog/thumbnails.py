"""The thumbnail sizes stored for each product image, apart from the Pillow code that makes them,
so the model can name a thumbnail's URL without importing images.py (which imports the model)."""

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
