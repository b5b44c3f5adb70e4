"""An import's images: WordPress attachments whose files the operator has, brought into the
media library through the same checks as an editor's upload, and the old site's links to
them (in bodies, and as featured images) pointed at ours.

A WXR export names each attachment's file by its old URL (…/wp-content/uploads/2019/03/x.jpg)
but does not hold it: the files are looked for beside the export or under --media-dir, by
their path below uploads/ (2019/03/x.jpg). A missing file is reported, never fatal.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from articles import imaging
from articles.models import Article, Image

from .content import plain_text
from .models import ImportedAttachment

# A link to an uploaded file, maybe to one of WordPress's sized copies (x-300x200.jpg).
_UPLOAD_URL = re.compile(
    r"""(?:https?:)?//[^\s"'<>()]+?\.(?:jpe?g|png|gif|webp)\b"""
    r"""|/wp-content/uploads/[^\s"'<>()]+?\.(?:jpe?g|png|gif|webp)\b""",
    re.IGNORECASE,
)
_SIZED_COPY = re.compile(r"-(\d+)x(\d+)(\.[a-z]+)$", re.IGNORECASE)
REPORTED_MISSING = 10
# Bodies rewritten per query.
BODY_BATCH = 500


def uploads_path(url_or_path):
    """The path of an upload below uploads/: '2019/03/x.jpg' for
    https://old.example/wp-content/uploads/2019/03/x.jpg (and for wordpress.com's
    https://x.files.wordpress.com/2019/03/x.jpg)."""
    path = unquote(urlsplit(url_or_path).path)
    if "/uploads/" in path:
        path = path.rsplit("/uploads/", 1)[1]
    return path.lstrip("/")


@dataclass
class MediaSummary:
    images_created: int = 0
    images_existing: int = 0
    missing: list = field(default_factory=list)  # uploads paths not found
    refused: list = field(default_factory=list)  # (path, why)
    featured: int = 0
    bodies_rewritten: int = 0

    def lines(self):
        if not (self.images_created or self.images_existing or self.missing or self.refused):
            return
        yield (
            f"Images: {self.images_created} imported, {self.images_existing} already in the "
            f"library; {self.featured} featured images set; links rewritten in "
            f"{self.bodies_rewritten} articles."
        )
        if self.missing:
            shown = ", ".join(self.missing[:REPORTED_MISSING])
            more = len(self.missing) - REPORTED_MISSING
            yield (
                f"Attachments whose file was not found beside the export or in --media-dir "
                f"({len(self.missing)}; their links still point at the old site): {shown}"
                + (f" and {more} more" if more > 0 else "")
                + "."
            )
        for path, why in self.refused:
            yield f"Attachment refused, {path}: {why}"


class MediaImport:
    """The images of one import run: attachments as they are read, then featured images and
    body links once the whole file is read (an attachment may come after its post)."""

    def __init__(self, *, directories=(), dry_run=False):
        self.directories = [Path(d).resolve() for d in directories if d]
        self.dry_run = dry_run
        self.summary = MediaSummary()
        self._images = {}  # attachment post id -> Image
        self._by_path = {}  # uploads path -> Image
        self._hosts = set()  # the old site's hosts for uploads
        self._featured = []  # (article pk, attachment post id)
        self._articles = []  # pks of the articles created, whose bodies may link to uploads
        self._stored = []  # names of the files written, removed if the import rolls back
        self._existing = {
            image.wordpress_id: image for image in Image.objects.filter(wordpress_id__isnull=False)
        }

    # --- while reading ------------------------------------------------------------------

    def attachment(self, item):
        path = uploads_path(item.meta.get("_wp_attached_file") or item.attachment_url)
        if not path or not re.search(r"\.(jpe?g|png|gif|webp)$", path, re.IGNORECASE):
            return False  # not an image: a PDF, a video...
        host = urlsplit(item.attachment_url).netloc
        if host:
            self._hosts.add(host.lower())
        image = self._existing.get(item.post_id)
        if image is not None:
            self.summary.images_existing += 1
        else:
            image = self._import_file(item, path)
        if image is not None:
            self._images[item.post_id] = image
            self._by_path[path] = image
            self._keep_attachment_page(item, image)
        return True

    @staticmethod
    def _keep_attachment_page(item, image):
        """The attachment page's address (`/<permalink>/<attachment-slug>/`), for the old
        links to it; `/?attachment_id=` links find the image by its id instead."""
        old_path = unquote(urlsplit(item.link).path)
        if old_path not in ("", "/") and len(old_path) <= 500:
            ImportedAttachment.objects.get_or_create(
                wordpress_path=old_path, defaults={"image": image}
            )

    def article_created(self, article, item):
        self._articles.append(article.pk)
        thumbnail = item.meta.get("_thumbnail_id", "").strip()
        if thumbnail.isdigit():
            self._featured.append((article.pk, int(thumbnail)))

    def _find(self, path):
        for directory in self.directories:
            for candidate in (
                directory / path,
                directory / "wp-content" / "uploads" / path,
                directory / "uploads" / path,
            ):
                resolved = candidate.resolve()
                # The path comes from the file: it must not lead out of the directory.
                if resolved.is_relative_to(directory) and resolved.is_file():
                    return resolved
        return None

    def _import_file(self, item, path):
        found = self._find(path)
        if found is None:
            self.summary.missing.append(path)
            return None
        try:
            with found.open("rb") as upload:
                checked = imaging.check_image(imaging.read_upload(upload))
        except ValidationError as error:
            self.summary.refused.append((path, " ".join(error.messages)))
            return None
        if self.dry_run:
            self.summary.images_created += 1
            return None
        image = Image.objects.filter(content_hash=checked.content_hash).first()
        if image is not None:
            self.summary.images_existing += 1
            return image
        title = plain_text(item.title) or Path(path).stem
        alt = plain_text(item.meta.get("_wp_attachment_image_alt", ""))[:300]
        image = Image(
            title=title[:200],
            # WordPress lets alt text be empty; the title is a better start than nothing,
            # and editors find these in the library to describe them properly.
            alt_text=alt or title[:300],
            caption=plain_text(item.excerpt)[:500],
            wordpress_id=item.post_id,
        )
        image.store_upload(checked)
        self._stored.extend(image.all_file_names())
        self.summary.images_created += 1
        return image

    # --- once the file is read ----------------------------------------------------------

    def finish(self):
        for article_pk, attachment_id in self._featured:
            image = self._images.get(attachment_id)
            if image is not None:
                Article.objects.filter(pk=article_pk).update(featured_image=image)
                self.summary.featured += 1
        if self._by_path:
            self._rewrite_bodies()

    def _rewrite_bodies(self):
        for start in range(0, len(self._articles), BODY_BATCH):
            batch = self._articles[start : start + BODY_BATCH]
            for pk, body in Article.objects.filter(pk__in=batch).values_list("pk", "body"):
                rewritten = _UPLOAD_URL.sub(self._our_url, body)
                if rewritten != body:
                    Article.objects.filter(pk=pk).update(body=rewritten)
                    self.summary.bodies_rewritten += 1

    def _our_url(self, match):
        url = match.group(0)
        # An absolute link is to the old site's uploads only on the old site's host.
        absolute = url.startswith("//") or "://" in url
        if absolute and urlsplit(url).netloc.lower() not in self._hosts:
            return url
        path = uploads_path(url)
        image = self._by_path.get(path)
        if image is not None:
            return image.url
        sized = _SIZED_COPY.search(path)
        if sized:
            image = self._by_path.get(path[: sized.start()] + sized.group(3))
            if image is not None:
                # The rendition closest to WordPress's sized copy.
                return image.rendition(int(sized.group(1)))[2]
        return url

    def discard_files(self):
        """Remove what this run stored (its rows are rolled back)."""
        for name in self._stored:
            default_storage.delete(name)
        self._stored = []
