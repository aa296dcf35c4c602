"""Phone-like test pictures made in memory (Pillow): EXIF orientation, GPS, odd sizes."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

ORIENTATION = 0x0112
GPS_IFD = 0x8825


def jpeg_bytes(size=(1200, 800), *, rotated=False, gps=False, colour=(200, 40, 40)) -> bytes:
    """A JPEG whose left half is coloured; `rotated` stores it with EXIF orientation 6 (90° CW)."""
    image = Image.new("RGB", size, (255, 255, 255))
    image.paste(Image.new("RGB", (size[0] // 2, size[1]), colour), (0, 0))
    exif = Image.Exif()
    exif[0x010F] = "Samsung"  # Make
    if rotated:
        exif[ORIENTATION] = 6
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (10.0, 42.0, 0.0), 3: "E", 4: (105.0, 7.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=80)
    return buffer.getvalue()


def upload(data: bytes, name="anh.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
