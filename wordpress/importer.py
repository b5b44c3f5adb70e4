"""Importing a WordPress export into articles and comments, in one transaction.

Keyed on WordPress ids (posts by `Article.wordpress_id`, comments by
`(article, Comment.wordpress_id)`), so importing the same file again creates nothing,
and an interrupted import (which rolls back whole) can simply be run again.
"""

import functools
import ipaddress
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleAuthor, Author, Category, Page, Tag
from articles.pages import PATH_MAX_LENGTH as PAGE_PATH_MAX_LENGTH
from articles.pages import shadowed_route
from comments.forms import COMMENT_MAX_LENGTH, NAME_MAX_LENGTH, WEBSITE_MAX_LENGTH
from comments.models import EMAIL_MAX_LENGTH, Comment
from comments.rendering import render_comment_body
from newsroom.db import RowInserter
from pagecache.generation import changes_deferred, content_changed

from .content import convert_post_content, plain_text
from .media import MediaImport
from .models import ImportedAuthor, ImportedCategory, ImportedPage
from .wxr import (
    BYLINES_META_KEY,
    FieldLimit,
    WxrAuthor,
    WxrError,
    WxrItem,
    WxrTerm,
    line_of,
    read_wxr,
)

ARTICLE_STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,  # with its future date: scheduled
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
}
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REMOVED,
    "post-trashed": Comment.Status.REMOVED,
}
# Pages have no schedule and no private state here: those not published come as drafts.
PAGE_STATUSES = {
    "publish": Page.Status.PUBLISHED,
    "future": Page.Status.DRAFT,
    "draft": Page.Status.DRAFT,
    "pending": Page.Status.DRAFT,
    "private": Page.Status.DRAFT,
}
IMPORTED_NOTE = "Imported from WordPress"
COMMENT_BATCH_SIZE = 2000

# An article body and standfirst have no limit in the database, but an import is not an
# editor at work: half a million characters is several times the longest long read (with
# its markup), and a standfirst is a paragraph or two.
ARTICLE_BODY_MAX_LENGTH = 500_000
STANDFIRST_MAX_LENGTH = 10_000
_COMMENT_FORM = "the comment form's limit"
_NAME_MAX_LENGTH = Author._meta.get_field("name").max_length
_LOGIN_MAX_LENGTH = Author._meta.get_field("wordpress_login").max_length
_NAME = FieldLimit(_NAME_MAX_LENGTH, "the name", "the longest name the site stores")
# What each imported field may hold: the comment form's limits for comments (an import
# must not let in what a commenter could not post), the models' for the rest. Checked as
# the file is read, so a huge field is refused before it is all in memory.
FIELD_LIMITS = {
    "wp:comment_content": FieldLimit(COMMENT_MAX_LENGTH, "the text", _COMMENT_FORM),
    "wp:comment_author": FieldLimit(NAME_MAX_LENGTH, "the commenter's name", _COMMENT_FORM),
    "wp:comment_author_email": FieldLimit(
        EMAIL_MAX_LENGTH, "the email address", "the longest address mail can deliver"
    ),
    "wp:comment_author_url": FieldLimit(WEBSITE_MAX_LENGTH, "the website", _COMMENT_FORM),
    "title": FieldLimit(
        Article._meta.get_field("title").max_length, "the title", "the longest title"
    ),
    "content:encoded": FieldLimit(ARTICLE_BODY_MAX_LENGTH, "the body", "the longest body"),
    "excerpt:encoded": FieldLimit(STANDFIRST_MAX_LENGTH, "the excerpt", "the longest standfirst"),
    "dc:creator": FieldLimit(_LOGIN_MAX_LENGTH, "the author's login", "WordPress's limit"),
    "wp:author_login": FieldLimit(_LOGIN_MAX_LENGTH, "the login", "WordPress's limit"),
    "wp:author_display_name": _NAME,
    "wp:cat_name": _NAME,
    "wp:tag_name": _NAME,
    "wp:term_name": _NAME,
    "category": _NAME,
}
# WordPress ids are stored as they are, in bigint columns.
LARGEST_ID = 2**63 - 1


@dataclass
class ImportSummary:
    articles_created: Counter = field(default_factory=Counter)  # by editorial state
    articles_existing: int = 0
    comments_created: Counter = field(default_factory=Counter)  # by status
    comments_existing: int = 0
    pages_created: Counter = field(default_factory=Counter)  # by status
    pages_existing: int = 0
    authors_created: int = 0
    categories_created: int = 0
    tags_created: int = 0
    skipped: Counter = field(default_factory=Counter)  # why -> how many
    notes: Counter = field(default_factory=Counter)  # what was changed on the way in
    dropped_shortcodes: Counter = field(default_factory=Counter)
    media: object = None  # wordpress.media.MediaSummary

    def lines(self):
        created = sum(self.articles_created.values())
        states = ", ".join(f"{n} {s}" for s, n in sorted(self.articles_created.items()))
        yield (
            f"Articles: {created} created ({states or 'none'}), "
            f"{self.articles_existing} already imported."
        )
        comments = sum(self.comments_created.values())
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(self.comments_created.items()))
        yield (
            f"Comments: {comments} created ({statuses or 'none'}), "
            f"{self.comments_existing} already imported."
        )
        pages = sum(self.pages_created.values())
        page_states = ", ".join(f"{n} {s}" for s, n in sorted(self.pages_created.items()))
        yield (
            f"Pages: {pages} created ({page_states or 'none'}), "
            f"{self.pages_existing} already imported."
        )
        yield (
            f"Authors: {self.authors_created} created; categories: {self.categories_created}; "
            f"tags: {self.tags_created}."
        )
        if self.media is not None:
            yield from self.media.lines()
        for why, count in sorted(self.skipped.items()):
            yield f"Skipped {count}: {why}."
        for what, count in sorted(self.notes.items()):
            yield f"Note ({count}): {what}."
        if self.dropped_shortcodes:
            names = ", ".join(f"[{n}] ×{c}" for n, c in self.dropped_shortcodes.most_common())
            yield f"Shortcodes with no equivalent, removed: {names}."


def parse_wordpress_date(value, *, gmt):
    """'2010-10-05 07:27:25' as an aware datetime; None for WordPress's zero date.

    Local dates are read in the site's TIME_ZONE: a WXR file does not say the blog's.
    """
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        naive = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if naive.tzinfo is not None:
        return naive
    if gmt:
        return naive.replace(tzinfo=UTC)
    return timezone.make_aware(naive)


@functools.lru_cache(maxsize=4096)  # commenters come back, with the same address
def _valid_ip(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _unique_slug(base, taken, max_length=200, fallback="article"):
    base = (base or fallback)[:max_length].strip("-") or fallback
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    taken.add(slug)
    return slug


def _item_name(item):
    title = plain_text(item.title)
    return f"the item “{title}” (post id {item.post_id})" if title else f"post {item.post_id}"


def _term_slug(slug, name):
    return slugify(unquote(slug)) or slugify(name) or slugify(name, allow_unicode=True)


def reply_levels(parent_of):
    """The comments of `parent_of` (key -> its parent's key, or None) in reply levels, so
    that each level's parents are in an earlier one: a list of lists of keys.

    A comment whose parent is not among them is at level 0; so is one comment of each loop
    of replies (a hand-edited file), which breaks the loop. Keys keep their order within a
    level.
    """
    depths = {}
    for key in parent_of:
        # Up the chain to a comment whose depth is known; then down it, counting.
        # Without recursion: an imported reply chain may be very long.
        chain, chained, current = [], set(), key
        while current not in depths:
            parent = parent_of[current]
            if parent is None or parent not in parent_of or parent in chained or parent == current:
                depths[current] = 0
                break
            chain.append(current)
            chained.add(current)
            current = parent
        depth = depths[current]
        for child in reversed(chain):
            depth += 1
            depths[child] = depth
    levels = defaultdict(list)
    for key in parent_of:
        levels[depths[key]].append(key)
    return [levels[depth] for depth in sorted(levels)]


@dataclass
class _PendingComment:
    article_id: int
    record: object  # WxrComment


class WxrImporter:
    """Reads one WXR file into the database. Use run(); read .summary afterwards."""

    def __init__(self, *, progress=None, media_dirs=()):
        self.summary = ImportSummary()
        # Where attachments' files are looked for: beside the export, and --media-dir.
        self.media_dirs = media_dirs
        # Called after each record read, to move a progress bar on.
        self.progress = progress
        self._authors = {}
        self._categories = {}
        self._tags = {}
        self._pending = []
        self._comment_inserter = RowInserter(Comment)
        # Bylines and tags of the articles created since the last flush, inserted together.
        self._bylines = []
        self._article_tags = []
        # Pages wait for the end of the file: a parent may come after its children.
        self._pages = {}

    def run(self, source, *, dry_run=False):
        self._source = source
        self._media = MediaImport(directories=self.media_dirs, dry_run=dry_run)
        self.summary.media = self._media.summary
        try:
            with transaction.atomic(), changes_deferred():
                self._load_existing()
                for record in read_wxr(source, field_limits=FIELD_LIMITS):
                    if isinstance(record, WxrAuthor):
                        self._keep_id(
                            ImportedAuthor, "author", record, self._author(record.login, record)
                        )
                    elif isinstance(record, WxrTerm):
                        term = self._term(record)
                        if isinstance(term, Category):
                            self._keep_id(ImportedCategory, "category", record, term)
                    elif isinstance(record, WxrItem):
                        self._item(record)
                    if self.progress is not None:
                        self.progress()
                self._flush()
                self._import_pages()
                self._media.finish()
                if dry_run:
                    transaction.set_rollback(True)
                else:
                    # Comments are inserted without signals: readers must see them at once.
                    content_changed()
        except BaseException:
            # The rows are rolled back: the image files stored for them go too.
            self._media.discard_files()
            raise
        return self.summary

    def _load_existing(self):
        self._article_ids = dict(
            Article.objects.filter(wordpress_id__isnull=False).values_list("wordpress_id", "pk")
        )
        self._article_slugs = set(Article.objects.values_list("slug", flat=True))
        self._authors = {a.wordpress_login: a for a in Author.objects.exclude(wordpress_login="")}
        self._author_slugs = set(Author.objects.values_list("slug", flat=True))
        self._categories = {c.slug: c for c in Category.objects.all()}
        self._tags = {t.slug: t for t in Tag.objects.all()}

    # --- authors, categories, tags ----------------------------------------------------

    def _author(self, login, record=None):
        login = login or "unknown"
        author = self._authors.get(login)
        if author is None:
            name = ""
            if record is not None:
                name = plain_text(record.display_name) or plain_text(
                    f"{record.first_name} {record.last_name}"
                )
            if len(name) > _NAME_MAX_LENGTH:
                raise self._refusal(
                    record,
                    f"the name of the author {login!r} is longer than {_NAME_MAX_LENGTH} "
                    "characters, the longest name the site stores",
                )
            slug = _unique_slug(slugify(login), self._author_slugs, fallback="author")
            author = Author.objects.create(name=name or login, slug=slug, wordpress_login=login)
            self._authors[login] = author
            self.summary.authors_created += 1
        return author

    @staticmethod
    def _keep_id(model, field, record, row):
        """Remember WordPress's id of `row`, for old links that carry it (wordpress.models);
        an id the export leaves out, or that an earlier import gave to another row, is kept
        as it was."""
        if 0 < record.wordpress_id < 2**63:
            model.objects.get_or_create(wordpress_id=record.wordpress_id, defaults={field: row})

    def _term(self, record):
        if record.taxonomy == "category":
            return self._category(record.slug, record.name, record.description)
        if record.taxonomy == "post_tag":
            return self._tag(record.slug, record.name)
        self.summary.skipped[f"terms of taxonomy '{record.taxonomy}' (no equivalent)"] += 1
        return None

    def _category(self, slug, name, description=""):
        slug = _term_slug(slug, name)[:200] or "category"
        category = self._categories.get(slug)
        if category is None:
            category = Category.objects.create(
                slug=slug, name=plain_text(name) or slug, description=plain_text(description)
            )
            self._categories[slug] = category
            self.summary.categories_created += 1
        return category

    def _tag(self, slug, name):
        slug = _term_slug(slug, name)[:200] or "tag"
        tag = self._tags.get(slug)
        if tag is None:
            tag = Tag.objects.create(slug=slug, name=plain_text(name) or slug)
            self._tags[slug] = tag
            self.summary.tags_created += 1
        return tag

    # --- posts --------------------------------------------------------------------------

    def _refusal(self, record, reason):
        """The error that stops the import, naming the record's line and saying why."""
        return WxrError(f"Line {line_of(self._source, record.position)}: {reason}.")

    def _check_ids(self, item):
        """WordPress ids are positive and fit our bigint columns; a file with others was
        edited by hand or broken, and storing them would fail with a database error."""
        ids = [("post id", item.post_id, 1)]
        for comment in item.comments:
            ids.append(("comment id", comment.id, 1))
            ids.append(("reply-to (parent) comment id", comment.parent_id, 0))
        for what, value, smallest in ids:
            if not smallest <= value <= LARGEST_ID:
                raise self._refusal(
                    item,
                    f"the {what} {value} in {_item_name(item)} is not one WordPress gives "
                    f"(from {smallest} to {LARGEST_ID:,})",
                )

    def _item(self, item):
        if item.post_type == "attachment" and self._media.attachment(item):
            return
        if item.post_type == "page":
            self._page(item)
            return
        if item.post_type != "post":
            kind = item.post_type or "untyped item"
            self.summary.skipped[f"{kind} items (no equivalent)"] += 1
            if item.comments:
                self.summary.skipped[f"comments on {kind} items"] += len(item.comments)
            return
        if item.status not in ARTICLE_STATUSES:
            self.summary.skipped[f"posts with status '{item.status}'"] += 1
            if item.comments:
                self.summary.skipped[f"comments on posts with status '{item.status}'"] += len(
                    item.comments
                )
            return
        self._check_ids(item)
        article_id = self._article_ids.get(item.post_id)
        if article_id is None:
            article_id = self._create_article(item).pk
            self._article_ids[item.post_id] = article_id
        else:
            self.summary.articles_existing += 1
        for comment in item.comments:
            if comment.type in ("pingback", "trackback"):
                self.summary.skipped[f"{comment.type}s"] += 1
                continue
            self._pending.append(_PendingComment(article_id, comment))
        if len(self._pending) >= COMMENT_BATCH_SIZE:
            self._flush()

    def _create_article(self, item):
        status = ARTICLE_STATUSES[item.status]
        published_at = parse_wordpress_date(item.post_date_gmt, gmt=True)
        if published_at is None and status == Article.Status.PUBLISHED:
            # A draft's zero GMT date means "no date chosen yet"; a published post's
            # means the GMT field was lost, and its local date is the one readers saw.
            published_at = parse_wordpress_date(item.post_date, gmt=False)
        if status == Article.Status.PUBLISHED and published_at is None:
            status = Article.Status.DRAFT
            self.summary.notes["published posts without a date imported as drafts"] += 1
        if item.password and status == Article.Status.PUBLISHED:
            # Published behind its password, as on WordPress: the old link shows the form.
            self.summary.notes["password-protected posts (kept behind their password)"] += 1

        converted = convert_post_content(item.content)
        self.summary.dropped_shortcodes.update(converted.dropped_shortcodes)
        standfirst = plain_text(item.excerpt) or converted.teaser
        title = plain_text(item.title)
        if not title:
            title = "(no title)"
            self.summary.notes["posts without a title"] += 1
        # Our URLs take ASCII slugs; a title in another script falls back to the post id.
        slug_source = slugify(unquote(item.post_name)) or slugify(title) or f"post-{item.post_id}"
        link = urlsplit(item.link)
        path = unquote(link.path) if link.path not in ("", "/") else ""

        article = Article(
            title=title,
            slug=_unique_slug(slug_source, self._article_slugs),
            standfirst=standfirst,
            body=converted.body,
            status=status,
            published_at=published_at,
            comments_open=item.comment_status != "closed",
            password=item.password[: Article._meta.get_field("password").max_length],
            # Sticky posts led WordPress's front page; the newest leads ours.
            is_lead_story=item.is_sticky == "1",
            wordpress_id=item.post_id,
            wordpress_path=path[:500],
        )
        categories = [(s, n) for d, s, n in item.terms if d == "category"]
        tags = [(s, n) for d, s, n in item.terms if d == "post_tag"]
        if categories:
            article.category = self._category(*categories[0])
        article.save()  # sanitises the body
        logins = [login for login in item.meta.get(BYLINES_META_KEY, "").split(",") if login]
        self._bylines.extend(
            ArticleAuthor(article=article, author=author, position=position)
            for position, author in enumerate(
                dict.fromkeys(self._author(login) for login in logins or [item.creator])
            )
        )
        self._article_tags.extend(
            Article.tags.through(article=article, tag=tag)
            for tag in dict.fromkeys(self._tag(*t) for t in tags)
        )
        self._media.article_created(article, item)
        self.summary.articles_created[article.editorial_state.lower()] += 1
        return article

    def _flush(self):
        ArticleAuthor.objects.bulk_create(self._bylines)
        Article.tags.through.objects.bulk_create(self._article_tags)
        self._bylines, self._article_tags = [], []
        self._flush_comments()

    # --- pages --------------------------------------------------------------------------

    def _page(self, item):
        if item.comments:
            self.summary.skipped["comments on pages (pages take no comments here)"] += len(
                item.comments
            )
        if item.status not in PAGE_STATUSES:
            self.summary.skipped[f"pages with status '{item.status}'"] += 1
            return
        if not 1 <= item.post_id <= LARGEST_ID:
            raise self._refusal(
                item, f"the post id {item.post_id} in {_item_name(item)} is not one WordPress gives"
            )
        # Only what the page is made of waits for the end of the file.
        item.comments = []
        self._pages.setdefault(item.post_id, item)

    def _import_pages(self):
        """Create the pages read, parents before children, at their WordPress paths."""
        if not self._pages:
            return
        known = dict(
            ImportedPage.objects.filter(wordpress_id__in=self._pages).values_list(
                "wordpress_id", "page_id"
            )
        )
        parent_of = {
            post_id: item.parent_id if item.parent_id in self._pages else None
            for post_id, item in self._pages.items()
        }
        for level in reply_levels(parent_of):
            for post_id in level:
                if post_id in known:
                    self.summary.pages_existing += 1
                    continue
                item = self._pages[post_id]
                parent_id = known.get(item.parent_id)
                if item.parent_id and parent_id is None:
                    # Its parent was left out of the file (or skipped): under the existing
                    # page imported with that id, else at the top.
                    parent_id = (
                        ImportedPage.objects.filter(wordpress_id=item.parent_id)
                        .values_list("page_id", flat=True)
                        .first()
                    )
                    if parent_id is None:
                        self.summary.notes["pages whose parent is not in the file, at the top"] += 1
                page = self._create_page(item, parent_id)
                known[post_id] = page.pk

    def _create_page(self, item, parent_id):
        title = plain_text(item.title)
        if not title:
            title = "(no title)"
            self.summary.notes["pages without a title"] += 1
        max_slug = Page._meta.get_field("slug").max_length
        slug = (
            slugify(unquote(item.post_name), allow_unicode=True)
            or slugify(title, allow_unicode=True)
            or f"page-{item.post_id}"
        )[:max_slug].strip("-") or f"page-{item.post_id}"
        if parent_id is None and shadowed_route(slug) is not None:
            # /feed/, /category/ … are the site's own: the page takes the next free name.
            self.summary.notes["pages whose address is one of the site's own, renamed"] += 1
            slug = f"{slug[: max_slug - 5]}-page"
        taken = set(Page.objects.filter(parent_id=parent_id).values_list("slug", flat=True))
        unique = _unique_slug(slug, set(taken), max_length=max_slug, fallback="page")
        if unique != slug:
            self.summary.notes["pages with the address of another, renamed"] += 1
        converted = convert_post_content(item.content)
        self.summary.dropped_shortcodes.update(converted.dropped_shortcodes)
        page = Page(
            title=title,
            slug=unique,
            parent_id=parent_id,
            body=converted.body,
            status=PAGE_STATUSES[item.status],
        )
        if parent_id is not None:
            page.parent = Page.objects.get(pk=parent_id)
        if len(page.path_under_parent()) > PAGE_PATH_MAX_LENGTH:
            raise self._refusal(item, f"the address of {_item_name(item)} is too long")
        page.save()  # sanitises the body
        link = urlsplit(item.link)
        old_path = unquote(link.path) if link.path not in ("", "/") else ""
        ImportedPage.objects.create(
            wordpress_id=item.post_id, page=page, wordpress_path=old_path[:500]
        )
        self.summary.pages_created[page.get_status_display().lower()] += 1
        return page

    # --- comments -----------------------------------------------------------------------

    def _flush_comments(self):
        """Create the pending comments, parents before replies, in a few queries.

        Comments are created one reply depth at a time, so each level's parents already
        have their primary keys; a reply to a comment that is not in the file (or was a
        pingback) becomes a top-level comment.
        """
        pending, self._pending = self._pending, []
        if not pending:
            return
        article_ids = {p.article_id for p in pending}
        known = {
            (article_id, wordpress_id): pk
            for article_id, wordpress_id, pk in Comment.objects.filter(
                article_id__in=article_ids, wordpress_id__isnull=False
            ).values_list("article_id", "wordpress_id", "pk")
        }
        new = {}
        for p in pending:
            key = (p.article_id, p.record.id)
            if key in known or key in new:
                self.summary.comments_existing += 1
            else:
                new[key] = p

        parent_of = {
            key: (key[0], p.record.parent_id) if p.record.parent_id else None
            for key, p in new.items()
        }
        # Only the primary keys of comments that have replies are read back.
        replied_to = set(parent_of.values())

        for level in reply_levels(parent_of):
            rows = []
            for key in level:
                record = new[key].record
                parent_pk = None
                if record.parent_id:
                    parent_pk = known.get((key[0], record.parent_id))
                    if parent_pk is None:
                        self.summary.notes[
                            "replies to comments not in the file, imported as top-level"
                        ] += 1
                rows.append(self._comment(key[0], record, parent_pk))
            self._comment_inserter.insert(rows)
            parents = [key for key in level if key in replied_to]
            if parents:
                for article_id, wordpress_id, pk in Comment.objects.filter(
                    article_id__in={article_id for article_id, _ in parents},
                    wordpress_id__in={wordpress_id for _, wordpress_id in parents},
                ).values_list("article_id", "wordpress_id", "pk"):
                    known[(article_id, wordpress_id)] = pk
            self.summary.comments_created.update(row["status"] for row in rows)

    def _comment(self, article_id, record, parent_pk):
        status = COMMENT_STATUSES.get(record.approved)
        if status is None:
            status = Comment.Status.PENDING
            self.summary.notes[f"comments with unknown status '{record.approved}' held"] += 1
        submitted_at = parse_wordpress_date(record.date_gmt, gmt=True) or parse_wordpress_date(
            record.date, gmt=False
        )
        url = record.author_url.strip()
        return dict(
            article_id=article_id,
            parent_id=parent_pk,
            author_name=plain_text(record.author) or "Anonymous",
            author_email=record.author_email.strip(),
            author_url=url,
            body=record.content,
            # The insert bypasses Comment.save(), which is what renders the body.
            body_html=render_comment_body(record.content),
            status=status,
            moderation_reason=IMPORTED_NOTE,
            submitted_at=submitted_at or timezone.now(),
            ip_address=_valid_ip(record.author_ip),
            wordpress_id=record.id,
        )
