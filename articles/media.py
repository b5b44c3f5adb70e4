"""The media library: images editors upload (or an import brings), and their renditions.

Renditions are made once, when the image is stored, and kept: an upload is rare and a page
view is not, so no reader ever waits for (or triggers) one, and a page needs no query and
no storage call to list them (the row keeps what was made, in `renditions`). Every name is
content-addressed (the upload's SHA-256, the width, the format), and a name is never
written twice, so files can be cached for a year as immutable.
"""

import posixpath
import re
from html import unescape
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import cached_property

from . import imaging

# Bumped when renditions are made differently (quality, sizes), so new files get new names
# and cached copies of the old ones are never served for the new.
RENDITION_VERSION = 1
# `sizes` for an image as wide as the article column (site.css: 65ch of its text, about
# 37rem, in a page at most 46rem wide with 1rem of padding each side).
COLUMN_SIZES = "(min-width: 46rem) 37rem, calc(100vw - 2rem)"


class SharedRendition(NamedTuple):
    """The rendition a feed or a social card points to."""

    url: str
    width: int
    height: int
    mime_type: str
    bytes: int


def absolute_media_url(url):
    """A media file's URL as others fetch it (feeds, Open Graph): as it is when storage
    gives absolute ones (a bucket), else on SITE_URL."""
    if urlsplit(url).scheme:
        return url
    return settings.SITE_URL + url if url.startswith("/") else f"{settings.SITE_URL}/{url}"


def image_directory(content_hash):
    return f"images/{content_hash[:2]}/{content_hash[:32]}"


class ImageQuerySet(models.QuerySet):
    def store(self, checked, **fields):
        """A new Image of a checked upload (imaging.CheckedImage), with `fields` (title,
        alt text...), stored with its renditions: see Image.store_upload()."""
        image = self.model(**fields)
        image.store_upload(checked)
        return image


class Image(models.Model):
    """An image in the library."""

    class Format(models.TextChoices):
        JPEG = "JPEG", "JPEG"
        PNG = "PNG", "PNG"
        WEBP = "WEBP", "WebP"
        GIF = "GIF", "GIF"

    title = models.CharField(max_length=200, help_text="For finding it in the library.")
    file = models.FileField(max_length=255, editable=False)
    alt_text = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Required unless "
        "the image is decorative.",
    )
    decorative = models.BooleanField(
        default=False,
        help_text="Adds nothing to the text (a texture, an ornament): screen readers skip it.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Photographer or source.")
    format = models.CharField(max_length=4, choices=Format.choices, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    file_bytes = models.PositiveIntegerField("size in bytes", editable=False)
    # Of the file as uploaded: the same file uploaded twice is one image.
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    # What was made at upload: [{"width", "height", "format", "name", "bytes"}, ...].
    renditions = models.JSONField(default=list, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # The WordPress attachment this image was imported from, so a re-import finds it.
    wordpress_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decorative=True) | ~Q(alt_text=""),
                name="image_has_alt_text_or_is_decorative",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.decorative and not self.alt_text.strip():
            raise ValidationError({"alt_text": "Describe the image, or mark it as decorative."})

    def store_upload(self, checked):
        """Store a checked upload (imaging.CheckedImage) as this new image's file, make its
        renditions, then save the row.

        All or nothing: when the row is refused (say, its alt text is missing), the files
        this call wrote are removed again, and the error raised.
        """
        directory = image_directory(checked.content_hash)
        written = []
        try:
            original = f"{directory}/original.{checked.extension}"
            _put(original, checked.content, written)
            renditions = []
            if not checked.animated:
                renditions = _store_renditions(directory, checked.content, checked.format, written)
            self.file.name = original
            self.format = checked.format
            self.width, self.height = checked.width, checked.height
            self.file_bytes = len(checked.content)
            self.content_hash = checked.content_hash
            self.renditions = renditions
            self.full_clean(exclude=["file", "uploaded_by"])
            with transaction.atomic():
                self.save()
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise

    @property
    def url(self):
        return default_storage.url(self.file.name)

    @property
    def mime_type(self):
        return imaging.ACCEPTED_FORMATS[self.format][1]

    @property
    def alt(self):
        """The alt attribute: empty for a decorative image."""
        return "" if self.decorative else self.alt_text

    @cached_property
    def sources(self):
        """The renditions by format, narrowest first: {format: [(width, height, url)]}.
        An animation (no renditions) has its original only."""
        by_format = {}
        for made in sorted(self.renditions, key=lambda r: r["width"]):
            by_format.setdefault(made["format"], []).append(
                (made["width"], made["height"], default_storage.url(made["name"]))
            )
        if not by_format:
            by_format[self.format] = [(self.width, self.height, self.url)]
        return by_format

    @property
    def fallback_format(self):
        return imaging.FALLBACK_FORMATS[self.format] if self.renditions else self.format

    def srcset(self, image_format=None):
        candidates = self.sources.get(image_format or self.fallback_format, [])
        return ", ".join(f"{url} {width}w" for width, _, url in candidates)

    @property
    def webp_srcset(self):
        """The WebP srcset for a <source>, when the fallback is another format."""
        if self.fallback_format == "WEBP" or "WEBP" not in self.sources:
            return ""
        return self.srcset("WEBP")

    def rendition(self, width=800, image_format=None):
        """(width, height, url) of the fallback rendition closest to `width` without
        exceeding it (else the narrowest): the <img src> for browsers without srcset."""
        candidates = self.sources[image_format or self.fallback_format]
        fitting = [c for c in candidates if c[0] <= width]
        return fitting[-1] if fitting else candidates[0]

    @property
    def rendition_for_sharing(self):
        """What feeds and social cards show: the fallback rendition up to 1200 wide, the
        size Open Graph asks for."""
        width, height, url = self.rendition(1200)
        image_format = self.fallback_format
        return SharedRendition(
            url=absolute_media_url(url),
            width=width,
            height=height,
            mime_type=imaging.ACCEPTED_FORMATS[image_format][1],
            bytes=self.rendition_bytes(width, image_format),
        )

    @property
    def src(self):
        return self.rendition(800)[2]

    def rendition_bytes(self, width, image_format=None):
        image_format = image_format or self.fallback_format
        for made in self.renditions:
            if made["width"] == width and made["format"] == image_format:
                return made["bytes"]
        return self.file_bytes

    def figure_html(self, caption=None, *, sizes=COLUMN_SIZES):
        """The HTML for this image inside an article body: a <figure> with the <img>
        (srcset of renditions, width and height, alt, lazy) and its caption and credit.

        `caption` replaces the library's caption for this use ("" for none). The result
        passes the body allowlist (articles/sanitizer.py) unchanged.
        """
        return render_to_string(
            "articles/_body_figure.html",
            {
                "image": self,
                "caption": self.caption if caption is None else caption,
                "sizes": sizes,
            },
        ).strip()

    def make_missing_renditions(self):
        """Make the renditions the settings now ask for that this image lacks (from its
        stored original), and record them. Returns how many files were written: none
        when it has them all, so running it again costs only the storage's checks."""
        if self.format in ("GIF", "WEBP") and not self.renditions:
            with default_storage.open(self.file.name) as stored:
                content = stored.read()
            if imaging.is_animated(content):
                return 0
        else:
            content = None
        wanted = {
            (width, fmt)
            for width in imaging.rendition_widths(self.width)
            for fmt in {"WEBP", imaging.FALLBACK_FORMATS[self.format]}
        }
        have = {(r["width"], r["format"]) for r in self.renditions}
        if wanted <= have and all(default_storage.exists(r["name"]) for r in self.renditions):
            return 0
        if content is None:
            with default_storage.open(self.file.name) as stored:
                content = stored.read()
        written = []
        self.renditions = _store_renditions(self.directory(), content, self.format, written)
        self.save(update_fields=["renditions"])
        return len(written)

    def admin_url(self):
        return reverse("admin:articles_image_change", args=[self.pk])

    def all_file_names(self):
        return [self.file.name, *(made["name"] for made in self.renditions)]

    def directory(self):
        return posixpath.dirname(self.file.name)


# The editor's figures and images as django-prose-editor serialises them (and nh3 cleans
# them: attributes quoted, no comments), and as figure_html() writes them, so the rewrite
# finds its own output again. The caption's inner HTML is group "caption".
_FIGURE = re.compile(
    r"<figure\b[^>]*>\s*(?P<img><img\b[^>]*>)\s*"
    r"(?:<figcaption\b[^>]*>(?P<caption>.*?)</figcaption>)?\s*</figure>",
    re.IGNORECASE | re.DOTALL,
)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_FIGURE_OR_IMG = re.compile(f"{_FIGURE.pattern}|{_IMG.pattern}", re.IGNORECASE | re.DOTALL)
# Where a library file lives: images/<2 hex>/<first 32 hex of the content hash>/<name>.
_LIBRARY_PATH = re.compile(r"images/[0-9a-f]{2}/(?P<hash>[0-9a-f]{32})/[^/?#]+$")
_SMALL = re.compile(r"\s*<small\b[^>]*>(?P<text>.*?)</small>\s*$", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


class _ImgSource(HTMLParser):
    def __init__(self, tag):
        super().__init__(convert_charrefs=True)
        self.src = None
        self.feed(tag)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag == "img" and self.src is None:
            self.src = (dict(attrs).get("src") or "").strip()

    handle_startendtag = handle_starttag


def _src(img_tag):
    return _ImgSource(img_tag).src or ""


def _images_by_url(srcs):
    """{url: Image} for every file (original and renditions) of the library images the
    `srcs` name, in one query; a src is ours only when storage gives that very URL."""
    hashes = {m["hash"] for src in srcs if (m := _LIBRARY_PATH.search(src.split("?")[0]))}
    if not hashes:
        return {}
    wanted = Q()
    for prefix in hashes:
        wanted |= Q(content_hash__startswith=prefix)
    by_url = {}
    for image in Image.objects.filter(wanted):
        for name in image.all_file_names():
            by_url[default_storage.url(name)] = image
    return by_url


def _caption_text(caption_html, image):
    """The caption as plain text, without the credit figure_html() adds after it (as
    <small>, or as the text the editor keeps of it), so a second save does not repeat it."""
    small = _SMALL.search(caption_html)
    if small and unescape(_TAG.sub("", small["text"])).strip() == image.credit:
        caption_html = caption_html[: small.start()]
    text = " ".join(unescape(_TAG.sub("", caption_html)).split())
    if image.credit and text.endswith(image.credit):
        text = text[: -len(image.credit)].rstrip()
    return text


def with_library_figures(html):
    """The body with every image from our library in the library's responsive markup.

    The editor stores a picked image as a plain <img src> of one rendition (in a <figure>
    with its caption). This rewrites each such figure into Image.figure_html() with the
    caption the editor gave it, and a library <img> outside a figure into the library's
    <img> (srcset, sizes, width, height, alt, lazy). Images not from the library are left
    as they are; the output is found again and rewritten to itself, so saving twice does
    not nest figures.
    """
    if not html or "<img" not in html.lower():
        return html
    by_url = _images_by_url([_src(m["img"] or m[0]) for m in _FIGURE_OR_IMG.finditer(html)])
    if not by_url:
        return html

    def rewrite(match):
        image = by_url.get(_src(match["img"] or match[0]))
        if image is None:
            return match[0]
        if match["img"] is None:
            return _IMG.search(image.figure_html(caption=""))[0]
        caption = _caption_text(match["caption"] or "", image)
        return image.figure_html(caption=caption)

    return _FIGURE_OR_IMG.sub(rewrite, html)


def _put(name, content, written):
    # Content-addressed: a name that exists already holds these very bytes.
    if not default_storage.exists(name):
        written.append(default_storage.save(name, ContentFile(content)))


def _store_renditions(directory, content, image_format, written):
    """Make and store (where missing) the renditions of an original; their list."""
    renditions = []
    for made in imaging.make_renditions(content, image_format):
        name = f"{directory}/v{RENDITION_VERSION}-{made.width}w.{made.extension}"
        _put(name, made.content, written)
        renditions.append(
            {
                "width": made.width,
                "height": made.height,
                "format": made.format,
                "name": name,
                "bytes": len(made.content),
            }
        )
    return renditions
