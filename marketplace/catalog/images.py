"""Product images: normalising pictures, thumbnails, and generated placeholders (Pillow)."""

import io
import uuid
import warnings
from functools import lru_cache

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext
from PIL import Image, ImageDraw, ImageFont, ImageOps

from marketplace.catalog.errors import CatalogError
from marketplace.catalog.models import Product, ProductImage
from marketplace.catalog.thumbnails import THUMBNAIL_SIZES
from marketplace.errors import DomainError

MAX_EDGE = 1600
JPEG_QUALITY = 82
# Untrusted uploads (phones): a camera JPEG is a few MB; 40 MP covers every normal camera mode
# while a 50 MP "full resolution" shot or a decompression bomb is refused before decoding.
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_UPLOAD_PIXELS = 40_000_000
UPLOAD_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
WEBP_QUALITY = 78

# One calm colour pair per OCOP group, for placeholders (background, accent).
GROUP_COLOURS = {
    1: ((254, 243, 199), (180, 83, 9)),
    2: ((219, 234, 254), (30, 64, 175)),
    3: ((220, 252, 231), (22, 101, 52)),
    4: ((252, 231, 243), (157, 23, 77)),
    5: ((236, 252, 203), (63, 98, 18)),
    6: ((224, 242, 254), (3, 105, 161)),
}
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_CANDIDATES:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, max_width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= max_width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines[:4]


def render_placeholder(name: str, group: int, stars: int | None) -> Image.Image:
    """A square card: soft group colour, a ring emblem, the product name and its OCOP stars."""
    side = 800
    background, accent = GROUP_COLOURS.get(group, GROUP_COLOURS[1])
    image = Image.new("RGB", (side, side), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((side - 300, -120, side + 120, 300), outline=accent, width=18)
    draw.ellipse((-160, side - 260, 200, side + 100), fill=accent)
    font = _font(64)
    lines = _wrap(draw, name, font, side - 140)
    y = 300 - 40 * (len(lines) - 1)
    for line in lines:
        draw.text((70, y), line, font=font, fill=(31, 41, 55))
        y += 82
    if stars:
        draw.text((70, y + 20), "★" * stars + " OCOP", font=_font(48), fill=accent)
    return image


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "webp":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return buffer.getvalue()


def normalise(image: Image.Image) -> Image.Image:
    """Upright, RGB, at most MAX_EDGE: a fresh image that carries no metadata (EXIF, GPS)."""
    image = ImageOps.exif_transpose(image)
    if image.mode != "RGB":
        image = image.convert("RGB")
    image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def write_files(folder: str, image: Image.Image) -> tuple[str, Image.Image]:
    """Write the normalised JPEG and its WebP/JPEG thumbnails under `folder`.

    Returns the stored name (thumbnails sit beside it as <stem>_<size>.<webp|jpg>) and the
    normalised image. On any failure nothing stays written.
    """
    image = normalise(image)
    written: list[str] = []
    try:
        stem = f"{folder}/{uuid.uuid4().hex[:16]}"
        name = default_storage.save(f"{stem}.jpg", ContentFile(_encode(image, "jpeg")))
        written.append(name)
        stem = name.rsplit(".", 1)[0]
        for size in THUMBNAIL_SIZES:
            thumb = image.copy()
            thumb.thumbnail((size, size), Image.Resampling.LANCZOS)
            for fmt in ("webp", "jpg"):
                written.append(
                    default_storage.save(f"{stem}_{size}.{fmt}", ContentFile(_encode(thumb, fmt)))
                )
    except Exception:
        delete_names(written)
        raise
    return name, image


def delete_names(names) -> None:
    """Remove a stored picture and its thumbnails, given the names written for it."""
    for name in names:
        default_storage.delete(name)


def file_names(name: str) -> list[str]:
    """A stored picture's file and all its thumbnails."""
    stem = name.rsplit(".", 1)[0]
    return [name] + [f"{stem}_{size}.{fmt}" for size in THUMBNAIL_SIZES for fmt in ("webp", "jpg")]


def store_image(
    product: Product,
    image: Image.Image,
    *,
    alt: str = "",
    position: int = 0,
    is_placeholder: bool = False,
) -> ProductImage:
    """Write the normalised JPEG and its WebP/JPEG thumbnails, then record the image."""
    name, image = write_files(f"products/{product.pk}", image)
    return record_image(
        product, name, image, alt=alt, position=position, is_placeholder=is_placeholder
    )


def record_image(
    product: Product,
    name: str,
    image: Image.Image,
    *,
    alt: str = "",
    position: int = 0,
    is_placeholder: bool = False,
) -> ProductImage:
    """The row of a picture `write_files` stored as `name` (`image`: what it returned)."""
    try:
        return ProductImage.objects.create(
            product=product,
            file=name,
            width=image.width,
            height=image.height,
            alt=alt or product.name,
            position=position,
            is_placeholder=is_placeholder,
        )
    except Exception:
        # Nothing half-saved: files without their row would never be cleaned up.
        delete_names(file_names(name))
        raise


def next_position(product: Product) -> int:
    """Where a new real photo goes: after the others (placeholders do not count)."""
    last = product.images.filter(is_placeholder=False).aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def delete_image(picture: ProductImage) -> None:
    picture.delete()
    # Files go only once the row's removal is committed.
    transaction.on_commit(lambda: delete_files(picture))


def drop_placeholders(product: Product) -> None:
    """A real photo arrived: the generated pictures make way."""
    for placeholder in product.images.filter(is_placeholder=True):
        delete_image(placeholder)


def ensure_placeholder(product: Product) -> ProductImage | None:
    """Give a product without pictures a generated one, so no page shows a broken image."""
    if product.images.exists():
        return None
    picture = render_placeholder(product.name, product.product_set.group_id, product.ocop_stars)
    return store_image(product, picture, is_placeholder=True)


def _reject(code: CatalogError, message: str) -> DomainError:
    return DomainError(code, message, "image")


def check_upload(upload) -> Image.Image:
    """Check an uploaded file from its header, or refuse it with a clear Vietnamese message.

    Size and pixel count are checked before any pixel is decoded, so an oversize photo or a
    decompression bomb costs no memory. The image is opened, not decoded (`decode`).
    """
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise _reject(
            CatalogError.EMPTY_FILE, gettext("Tệp ảnh trống. Hãy chụp hoặc chọn lại ảnh.")
        )
    if size > MAX_UPLOAD_BYTES:
        raise _reject(
            CatalogError.FILE_TOO_LARGE,
            gettext(
                "Tệp ảnh nặng %(size_mb)s MB, tối đa %(max_mb)s MB. Hãy chụp ở độ phân giải thường."
            )
            % {
                "size_mb": format(size / 1024 / 1024, ".1f"),
                "max_mb": MAX_UPLOAD_BYTES // 1024 // 1024,
            },
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _reject(
            CatalogError.IMAGE_TOO_LARGE, gettext("Ảnh có kích thước quá lớn, không thể xử lý.")
        )
    except (OSError, SyntaxError, ValueError):
        raise _reject(
            CatalogError.NOT_AN_IMAGE,
            gettext("Tệp này không phải là ảnh (JPEG, PNG, WebP). Hãy chọn một tấm ảnh."),
        )
    if image.format not in UPLOAD_FORMATS:
        raise _reject(
            CatalogError.UNSUPPORTED_FORMAT,
            gettext("Định dạng ảnh %(format)s chưa được hỗ trợ; hãy dùng JPEG, PNG hoặc WebP.")
            % {"format": image.format},
        )
    width, height = image.size
    if width * height > MAX_UPLOAD_PIXELS:
        raise _reject(
            CatalogError.IMAGE_TOO_LARGE,
            gettext(
                "Ảnh %(width)s×%(height)s (%(megapixels)s megapixel) quá lớn, tối đa "
                "%(max_megapixels)s megapixel. Hãy chụp ở độ phân giải thường."
            )
            % {
                "width": width,
                "height": height,
                "megapixels": format(width * height / 1_000_000, ".0f"),
                "max_megapixels": MAX_UPLOAD_PIXELS // 1_000_000,
            },
        )
    return image


def decode(image: Image.Image) -> Image.Image:
    """Decode an image `check_upload` let through; a truncated or damaged file is refused."""
    # JPEGs decode straight at a reduced scale: far less memory and time for camera photos.
    image.draft("RGB", (MAX_EDGE, MAX_EDGE))
    try:
        image.load()
    except (OSError, SyntaxError, ValueError):
        raise _reject(
            CatalogError.DAMAGED_IMAGE, gettext("Ảnh bị hỏng hoặc tải lên chưa hết. Hãy thử lại.")
        )
    return image


def open_upload(upload) -> Image.Image:
    """Check an uploaded file and decode it, or refuse it with a clear Vietnamese message."""
    return decode(check_upload(upload))


def store_upload(product: Product, upload, *, alt: str = "", position: int = 0) -> ProductImage:
    """Validate, normalise (upright, no EXIF/GPS, max edge) and store an uploaded photo."""
    return store_image(product, open_upload(upload), alt=alt, position=position)


def delete_files(image: ProductImage) -> None:
    """Remove a picture's stored file and all its thumbnails."""
    delete_names(file_names(image.file.name))
