"""Images made in the test, with Pillow: valid ones of each format, and hostile ones."""

import io
import struct
import zlib

from PIL import Image as PILImage

from articles import imaging


def image_bytes(image_format="JPEG", size=(2000, 1200), color=(200, 40, 40), **save_options):
    mode = "RGB" if image_format in ("JPEG",) else "RGBA"
    if image_format == "GIF":
        mode = "P"
    image = PILImage.new(mode, size, color if mode != "P" else 3)
    out = io.BytesIO()
    image.save(out, image_format, **save_options)
    return out.getvalue()


def jpeg_with_gps_and_rotation(size=(1200, 800)):
    """A JPEG whose EXIF carries a camera, a GPS position and orientation 6 (turn 90°)."""
    image = PILImage.new("RGB", size, (10, 120, 200))
    exif = PILImage.Exif()
    exif[0x0110] = "Secret Camera 9000"  # Model
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_declaring(width, height):
    """A tiny PNG whose header declares width × height: a decompression bomb's shape."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script></svg>"
)
SCRIPT_NAMED_JPG = b"<script>alert(document.cookie)</script>\n"
PAYLOAD = b"<html><script>alert(document.cookie)</script></html>"


def stored_image(size=(2000, 1200), image_format="JPEG", **fields):
    """An Image in the library, stored as an upload would be."""
    from articles.models import Image

    fields.setdefault("title", "Harbour at dawn")
    fields.setdefault("alt_text", "Fishing boats moored in the harbour at dawn")
    checked = imaging.check_image(image_bytes(image_format, size, color=_next_colour()))
    return Image.objects.store(checked, **fields)


_colour = [0]


def _next_colour():
    # Each stored image different, so none is refused as a duplicate.
    _colour[0] += 1
    n = _colour[0]
    return (n * 37 % 256, n * 91 % 256, n * 53 % 256)
