"""The sitemap: an index (/sitemap.xml) of one sitemap per kind of page, each in pages
(?p=N) of at most ADDRESSES_PER_SITEMAP_PAGE addresses.

The index and a page cost the same whatever the size of the archive (200,000 articles,
5,000 tags). Django's sitemaps count a section's pages with a COUNT of its items, and
read page N with an OFFSET past every item of the pages before; the archive's sections
(articles, sections, tags, authors) are paged by ranges of ids instead (IdRangePages):
the index takes each one's smallest and largest id, a page one range of its primary
key's index (and one index probe a row for "with a published article"). And a page is
written from the few columns its addresses need, as text (`urlset`), rather than
through a model instance, a reverse() and a template loop for each address (100 µs an
address; now a few).

Only what readers may see is listed: published articles without a password (a
protected one's page is its password form), and the sections, tags and authors with a
published article.
"""

import re
from functools import cached_property
from html import escape

from django.contrib.sitemaps import Sitemap
from django.core import paginator
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Max, Min, OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.urls.converters import SlugConverter, StringConverter
from django.utils import timezone
from django.utils.encoding import iri_to_uri

from .models import Article, Author, Category, Page, Tag, permalink_kwargs


class IdRangePages(Paginator):
    """Pages of `object_list` (a queryset ordered by id) by ranges of `per_page` ids: page
    N holds the listed rows whose id is among the N-th `per_page` ids from the table's
    first, so at most `per_page`, fewer where rows that are not listed (a draft, a tag
    with no published article) or deleted ones leave gaps. A row stays on its page while
    others are added or deleted.

    Counting pages takes one query (the smallest and largest id, two ends of the primary
    key's index); a page, one range scan of that index. Never a COUNT or an OFFSET.
    """

    @cached_property
    def _first_and_last_id(self):
        # Over the whole table, not just the rows listed: two index reads, nothing filtered.
        table = self.object_list.model._default_manager
        ids = table.aggregate(first=Min("pk"), last=Max("pk"))
        return ids["first"], ids["last"]

    @cached_property
    def num_pages(self):
        first, last = self._first_and_last_id
        if first is None:
            return 1  # An empty sitemap still answers, with no addresses.
        return (last - first) // self.per_page + 1

    def validate_number(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number):
        number = self.validate_number(number)
        first, _ = self._first_and_last_id
        if first is None:
            return paginator.Page(self.object_list.none(), number, self)
        start = first + (number - 1) * self.per_page
        return paginator.Page(
            self.object_list.filter(pk__gte=start, pk__lt=start + self.per_page), number, self
        )


# As WordPress's own sitemaps. A page of 2,000 renders in 18 ms (its articles, or its
# tags), 5,000 in 35 ms, 10,000 in 61 ms: 6 to 9 µs an address, against 100 before
# (PostgreSQL, 50,000 articles and 5,000 tags, uncached, in-process, median of 7). The
# first render after a change stays well under 100 ms on a busy machine too; 200,000
# articles fill 100 pages.
ADDRESSES_PER_SITEMAP_PAGE = 2_000

URLSET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
    'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
URLSET_END = "\n</urlset>\n"


def urlset(origin, addresses, changefreq):
    """The <urlset> of `addresses`, (path, lastmod) pairs at `origin`
    ("https://example.org"), lastmod the date of the last change in the site's time zone
    or None.

    The same XML, byte for byte, as Django's sitemap.xml template writes, built as text:
    the template's loop cost most of a page's time. Every location is escaped as the
    template would.
    """
    close = f"<changefreq>{changefreq}</changefreq></url>" if changefreq else "</url>"
    parts = [URLSET_START]
    for path, lastmod in addresses:
        location = escape(f"{origin}{path}")
        if lastmod is None:
            parts.append(f"<url><loc>{location}</loc>{close}")
        else:
            parts.append(f"<url><loc>{location}</loc><lastmod>{lastmod}</lastmod>{close}")
    parts.append(URLSET_END)
    return "".join(parts)


# A slug that no real one equals, put where the URL pattern takes the slug: reverse()d once
# with it, the address's text on either side of it is the same for every slug.
SLUG_MARK = "sitemap-slug-mark"


class TermSlugConverter(StringConverter):
    """The slug of a section, tag or author in its addresses (<term:slug>): Django's
    <slug:>, and letters of any script. The WordPress importer gives a term named with no
    Latin letter ("東京") a unicode slug, as WordPress does; <slug:> could not reverse it,
    and every article carrying the term failed to render."""

    regex = r"[-\w]+"


# What the routes take (<slug:> for articles, <term:> for the rest), so what reverse()
# takes: a slug outside it (written by hand in the database) has no address on the site,
# and none in the sitemap.
fits_article_route = re.compile(SlugConverter.regex).fullmatch
fits_term_route = re.compile(TermSlugConverter.regex).fullmatch


def slug_in_address(slug):
    """`slug` as reverse() writes it into an address: letters beyond ASCII percent-encoded."""
    return slug if slug.isascii() else iri_to_uri(slug)


def around_slug(path):
    """(head, tail): the text of `path`, reversed with SLUG_MARK, before and after it."""
    head, mark, tail = path.rpartition(SLUG_MARK)
    if not mark:
        raise ValueError(f"{path!r} does not hold {SLUG_MARK!r}")
    return head, tail


class SitemapPages(Sitemap):
    """A sitemap whose pages are written as text (`page_xml`, for the
    articles:sitemap_section view) rather than through Django's template."""

    def page_xml(self, number, origin):
        """Page `number`'s <urlset> at `origin`, and the latest change of its items when
        each has one (else None), as Django's sitemap view gives Last-Modified. Raises
        EmptyPage or PageNotAnInteger for a page that is not there."""
        page = self.paginator.page(number)
        return urlset(origin, self.addresses(page), self.changefreq), self.last_modified(page)

    def addresses(self, page):
        """(path, lastmod date) of each item of `page`: by default its location and
        lastmod, as Django's sitemap takes them."""
        lastmod = getattr(self, "lastmod", None)
        for item in page.object_list:
            changed = lastmod(item) if lastmod else None
            yield self.location(item), changed and timezone.localtime(changed).date()

    def last_modified(self, page):
        """The latest lastmod of `page`'s items if each has one, else None."""
        lastmod = getattr(self, "lastmod", None)
        changes = [lastmod(item) for item in page.object_list] if lastmod else [None]
        if not changes or None in changes:
            return None
        return max(changes)


class ArchiveSitemap(SitemapPages):
    """A sitemap of one of the archive's tables: pages of ranges of ids (IdRangePages),
    each read as the few columns its addresses need, no model instances."""

    limit = ADDRESSES_PER_SITEMAP_PAGE

    @property
    def paginator(self):
        return IdRangePages(self.items(), self.limit)

    def get_latest_lastmod(self):
        # Django's would read every item to find it; the index lists the pages without.
        return None

    def last_modified(self, page):
        return None


class SlugSitemap(ArchiveSitemap):
    """The pages of sections, tags or authors with a published article: each one's
    address is `route` with its slug (as its get_absolute_url), reversed once a page."""

    route = None
    model = None
    # The article field that names a row of `model`.
    articles_of = None

    def items(self):
        # Each row's first published article, as a subquery: PostgreSQL runs it once for
        # each row of the page's range, a probe of an index (for a row with none, of all
        # its articles). An EXISTS it turns into a join over every tagging and published
        # article instead: 63 ms for a page of 2,000 of 5,000 tags with 125,000 taggings,
        # and growing with them, against 10 ms.
        published = Article.objects.published().filter(**{self.articles_of: OuterRef("pk")})
        first_published = Subquery(published.order_by().values("pk")[:1])
        return (
            self.model.objects.alias(first_published=first_published)
            .filter(first_published__isnull=False)
            .order_by("pk")
        )

    def addresses(self, page):
        head, tail = around_slug(reverse(self.route, kwargs={"slug": SLUG_MARK}))
        for slug in page.object_list.values_list("slug", flat=True):
            if fits_term_route(slug):
                yield f"{head}{slug_in_address(slug)}{tail}", None


class ArticleSitemap(ArchiveSitemap):
    changefreq = "weekly"

    def items(self):
        # A protected article's page is its password form: nothing to index.
        return Article.objects.published().unprotected().order_by("pk")

    def lastmod(self, article):
        return article.updated_at

    def addresses(self, page):
        # The days, in the site's time zone, from the database: a date is read many times
        # faster than a timestamp with its time zone (30 against 130 ms for 10,000 rows).
        rows = page.object_list.values_list(
            "slug", TruncDate("published_at"), TruncDate("updated_at")
        )
        # Articles of the same day share all of their address but the slug: one reverse()
        # a day (a page of articles spans weeks of a busy archive, months of a quiet one).
        around_slug_on = {}
        for slug, day, changed in rows:
            if not fits_article_route(slug):
                continue
            around = around_slug_on.get(day)
            if around is None:
                path = reverse("articles:detail", kwargs=permalink_kwargs(day, SLUG_MARK))
                around = around_slug_on[day] = around_slug(path)
            yield f"{around[0]}{slug}{around[1]}", changed

    def last_modified(self, page):
        return page.object_list.aggregate(latest=Max("updated_at"))["latest"]


class CategorySitemap(SlugSitemap):
    changefreq = "daily"
    route = "articles:category"
    model = Category
    articles_of = "category"


class TagSitemap(SlugSitemap):
    changefreq = "daily"
    route = "articles:tag"
    model = Tag
    articles_of = "tags"


class AuthorSitemap(SlugSitemap):
    changefreq = "weekly"
    route = "articles:author"
    model = Author
    articles_of = "authors"


class PageSitemap(SitemapPages):
    """The static pages: few, so Django's paging and each page's own address."""

    changefreq = "monthly"

    def items(self):
        return Page.objects.published().only("path", "updated_at").order_by("path")

    def lastmod(self, page):
        return page.updated_at


sitemaps = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
    "pages": PageSitemap,
}
