"""The sitemap: an index (/sitemap.xml) of one sitemap per section, each in pages of at
most Sitemap.limit (50,000) addresses, as search engines take them; the articles' in pages
of ARTICLES_PER_SITEMAP_PAGE.

An archive of 200,000 articles fills several pages. Django pages a sitemap with OFFSET,
so page N would read and skip every article of the pages before it; the articles' pages
are ranges of ids instead (ArticlePages), each read from the primary key's index in the
same time whatever its number.
"""

from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.core import paginator
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Exists, Max, Min, OuterRef

from .models import Article, Author, Category, Page, Tag


class ArticlePages(Paginator):
    """Pages of `object_list` (a queryset of articles) by ranges of `per_page` ids: page N
    holds the listed articles whose id is among the N-th `per_page` ids from the first
    article's, so at most `per_page`, fewer where drafts, protected or deleted articles
    leave gaps. An article stays on its page while others are published or deleted.

    Counting pages takes one query (the smallest and largest id, two ends of the primary
    key's index); a page, one range scan of that index. Never a COUNT or an OFFSET.
    """

    @cached_property
    def _first_and_last_id(self):
        # Over every article, not just those listed: two index reads, nothing filtered.
        ids = Article.objects.aggregate(first=Min("pk"), last=Max("pk"))
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


# Rendering costs about 0.1 ms an address (its URL reversed, its lastmod, the template):
# 50,000 took 5.7 s on the first request after each content change, longer than crawlers
# and the bench (wrk's 5 s) wait; 10,000 take 1 s (PostgreSQL, 50,000 articles, measured
# in-process). 200,000 articles fill 20 pages.
ARTICLES_PER_SITEMAP_PAGE = 10_000


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    limit = ARTICLES_PER_SITEMAP_PAGE

    def items(self):
        # A protected article's page is its password form: nothing to index.
        return Article.objects.published().unprotected().order_by("pk")

    @property
    def paginator(self):
        return ArticlePages(self.items(), self.limit)

    def lastmod(self, article):
        return article.updated_at

    def get_latest_lastmod(self):
        # Django's would read every article to find it; the index lists the pages without.
        return None


# The sections, tags and authors with a published article: one index probe each (EXISTS),
# rather than joining every published article and removing the duplicates.
class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        published = Article.objects.published().filter(category=OuterRef("pk"))
        return Category.objects.filter(Exists(published)).order_by("pk")


class AuthorSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        published = Article.objects.published().filter(authors=OuterRef("pk"))
        return Author.objects.filter(Exists(published)).order_by("pk")


class TagSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        published = Article.objects.published().filter(tags=OuterRef("pk"))
        return Tag.objects.filter(Exists(published)).order_by("pk")


class PageSitemap(Sitemap):
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
