"""Checking uploaded images and making their renditions, with Pillow. Knows no model.

An upload is trusted for nothing: not its name, not the content type the browser sent.
Pillow decides what it is by its bytes; only JPEG, PNG, WebP and GIF pass, within the
limits on bytes and pixels; then it is decoded and encoded again, which drops EXIF (GPS
position, camera serial), comments and anything hidden after the image's end (a
"polyglot" carrying HTML or script), with the EXIF orientation applied to the pixels.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

# Pillow's format name -> (file extension, MIME type).
ACCEPTED_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
# The format a still image's renditions are made in beside WebP: the original's, except
# that a still GIF (256 colours) is scaled into PNG, which keeps its edges.
FALLBACK_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
JPEG_QUALITY = 82
WEBP_QUALITY = 80

NOT_AN_IMAGE = (
    "This file is not a JPEG, PNG, WebP or GIF image (its content decides, not its name). "
    "SVG and other formats are not accepted."
)


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed: its pixels encoded again, ready to store."""

    content: bytes  # the re-encoded file
    format: str  # Pillow's name: JPEG, PNG, WEBP or GIF
    width: int
    height: int
    animated: bool
    content_hash: str  # sha256 of the bytes as uploaded: the same file twice is one image

    @property
    def extension(self):
        return ACCEPTED_FORMATS[self.format][0]


@dataclass(frozen=True)
class MadeRendition:
    width: int
    height: int
    format: str
    content: bytes

    @property
    def extension(self):
        return ACCEPTED_FORMATS[self.format][0]


def read_upload(upload, max_bytes=None):
    """The upload's bytes, refusing more than the limit without reading it all."""
    max_bytes = max_bytes or settings.IMAGES_MAX_UPLOAD_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise _too_big(size, max_bytes)
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks, total = [], 0
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    ):
        total += len(chunk)
        if total > max_bytes:
            raise _too_big(total, max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_big(size, limit):
    return ValidationError(
        f"This file is {filesizeformat(size)}; images may be at most {filesizeformat(limit)}.",
        code="too_large",
    )


def check_image(data, *, max_pixels=None):
    """Check `data` (the bytes of an upload) and encode it again; a ValidationError with a
    message for the editor when it is refused."""
    max_pixels = max_pixels or settings.IMAGES_MAX_PIXELS
    content_hash = hashlib.sha256(data).hexdigest()
    with warnings.catch_warnings():
        # Pillow warns of a decompression bomb above its own limit and raises above twice
        # that; either one is a refusal here, as is anything over our own limit.
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            with PILImage.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                if image_format not in ACCEPTED_FORMATS:
                    raise ValidationError(NOT_AN_IMAGE, code="format")
                width, height = probe.size
                frames = getattr(probe, "n_frames", 1)
                _check_pixels(width, height, frames, max_pixels)
                # verify() reads the whole file's structure (and checksums of PNG chunks)
                # without decoding pixels.
                probe.verify()
            with PILImage.open(io.BytesIO(data)) as image:
                image.load()
                content = _encode_original(image, image_format, frames > 1)
                if frames == 1:
                    width, height = ImageOps.exif_transpose(image).size
        except ValidationError:
            raise
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
            raise _bomb() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            # What Pillow raises for what is not an image or is a broken one.
            raise ValidationError(NOT_AN_IMAGE, code="format") from None
    return CheckedImage(
        content=content,
        format=image_format,
        width=width,
        height=height,
        animated=frames > 1,
        content_hash=content_hash,
    )


def _check_pixels(width, height, frames, max_pixels):
    if width < 1 or height < 1:
        raise ValidationError(NOT_AN_IMAGE, code="format")
    if width * height * frames > max_pixels:
        raise _bomb(width, height, frames, max_pixels)


def _bomb(width=None, height=None, frames=1, max_pixels=None):
    max_pixels = max_pixels or settings.IMAGES_MAX_PIXELS
    size = ""
    if width is not None:
        size = f" ({width:,} × {height:,} pixels{f', {frames} frames' if frames > 1 else ''})"
    return ValidationError(
        f"This image is too large to process{size}: at most "
        f"{max_pixels / 1_000_000:g} million pixels are accepted. It may be a "
        "decompression bomb (a small file that unpacks into a huge image).",
        code="too_many_pixels",
    )


def _encode_original(image, image_format, animated):
    """The image encoded again in its own format, without its metadata."""
    out = io.BytesIO()
    if animated:
        # Frames as they are (orientation does not apply to GIF and WebP animations).
        options = {"save_all": True, "loop": image.info.get("loop", 0)}
        if "duration" in image.info:
            options["duration"] = image.info["duration"]
        if image_format == "WEBP":
            options["quality"] = WEBP_QUALITY
        image.save(out, image_format, **options)
        return out.getvalue()
    still = _for_format(ImageOps.exif_transpose(image), image_format)
    still.save(out, image_format, **_save_options(image_format, image))
    return out.getvalue()


def _for_format(image, image_format):
    if image_format == "JPEG":
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if image_format == "GIF":
        return image if image.mode in ("P", "L") else image.convert("P", palette=1)
    if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        return image.convert("RGBA" if "A" in image.getbands() else "RGB")
    return image


def _save_options(image_format, source=None):
    # Only the colour profile is carried over: it changes how the pixels look, and says
    # nothing of who took the picture, or where.
    options = {}
    icc = source.info.get("icc_profile") if source is not None else None
    if icc and image_format in ("JPEG", "PNG", "WEBP"):
        options["icc_profile"] = icc
    if image_format == "JPEG":
        options |= {"quality": JPEG_QUALITY, "optimize": True, "progressive": True}
    elif image_format == "WEBP":
        options |= {"quality": WEBP_QUALITY, "method": 4}
    elif image_format == "PNG":
        options |= {"optimize": True}
    return options


def rendition_widths(width, widths=None):
    """The widths an image `width` pixels wide is made at: the configured ones narrower
    than it, and its own when it is no wider than the widest (never upscaled)."""
    widths = sorted(set(widths or settings.IMAGES_RENDITION_WIDTHS))
    made = [w for w in widths if w < width]
    if not widths or width <= widths[-1]:
        made.append(width)
    return made


def make_renditions(content, image_format, *, widths=None):
    """The renditions of a checked image (`content`, the stored bytes): each width in WebP
    and in the fallback format (one file when that is WebP). An animation is kept whole:
    it has no renditions but its original."""
    with PILImage.open(io.BytesIO(content)) as image:
        image.load()
        if image.mode not in ("RGB", "RGBA", "L"):
            # Scaled in full colour: a palette image would be scaled by nearest neighbour.
            has_alpha = "A" in image.getbands() or "transparency" in image.info
            image = image.convert("RGBA" if has_alpha else "RGB")
        width, height = image.size
        made = []
        fallback = FALLBACK_FORMATS[image_format]
        formats = ["WEBP"] if fallback == "WEBP" else ["WEBP", fallback]
        for target in rendition_widths(width, widths):
            target_height = max(1, round(height * target / width))
            scaled = (
                image
                if target == width
                else image.resize((target, target_height), PILImage.LANCZOS)
            )
            for rendition_format in formats:
                out = io.BytesIO()
                _for_format(scaled, rendition_format).save(
                    out, rendition_format, **_save_options(rendition_format, image)
                )
                made.append(MadeRendition(target, target_height, rendition_format, out.getvalue()))
        return made


def is_animated(content):
    with PILImage.open(io.BytesIO(content)) as image:
        return getattr(image, "n_frames", 1) > 1
