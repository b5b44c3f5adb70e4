"""A sitemap page is written as text from a few columns, not by Django's sitemap view;
what a crawler reads must be the same, byte for byte, as Django's own view writes for the
same items through get_absolute_url(), whatever the slugs, the time zone, the host or the
prefix the site is served under."""

from datetime import UTC, datetime

import pytest
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as django_sitemaps
from django.db.models import Exists, OuterRef
from django.test import Client, RequestFactory
from django.test.utils import override_script_prefix

from articles.models import Article, Author, Category, Page, Tag
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db


def published_with(field):
    return Exists(Article.objects.published().filter(**{field: OuterRef("pk")}))


class DjangosArticles(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().unprotected().order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class DjangosCategories(Sitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.filter(published_with("category")).order_by("pk")


class DjangosTags(Sitemap):
    changefreq = "daily"

    def items(self):
        return Tag.objects.filter(published_with("tags")).order_by("pk")


class DjangosAuthors(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Author.objects.filter(published_with("authors")).order_by("pk")


class DjangosPages(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Page.objects.published().order_by("path")

    def lastmod(self, page):
        return page.updated_at


DJANGOS = {
    "articles": DjangosArticles,
    "categories": DjangosCategories,
    "tags": DjangosTags,
    "authors": DjangosAuthors,
    "pages": DjangosPages,
}

AWKWARD_SLUGS = [
    "a",
    "-leading-dash",
    "trailing_underscore_",
    "Mixed-CASE-Slug",
    "2024",
    "sitemap-slug-mark",
    "x" * 200,
]

# St John's, Newfoundland: half an hour off the hour, and summer time from 02:00 local on
# 10 March 2024. Each time is near a local midnight, a year's end or that change, so the
# local day differs from the UTC day or is easy to get wrong.
AWKWARD_TIMES = [
    datetime(2024, 1, 1, 2, 0, tzinfo=UTC),  # 31 December 2023, 22:30 local
    datetime(2024, 3, 10, 2, 59, tzinfo=UTC),  # 9 March, 23:29 local, before the change
    datetime(2024, 3, 10, 5, 31, tzinfo=UTC),  # 10 March, 03:01 local, after it
    datetime(2000, 2, 29, 3, 29, tzinfo=UTC),  # 28 February, 23:59 local
    datetime(2000, 2, 29, 3, 31, tzinfo=UTC),  # 29 February, 00:01 local
    datetime(2024, 11, 3, 2, 45, tzinfo=UTC),  # 2 November, 23:15 local (summer time)
    datetime(2024, 6, 1, 2, 29, tzinfo=UTC),  # 31 May, 23:59 local
]


@pytest.fixture
def awkward_archive(settings):
    settings.TIME_ZONE = "America/St_Johns"
    section = CategoryFactory(slug="Town_Hall-2")
    tag = TagFactory(slug="-ferries_")
    author = AuthorFactory(slug="O-Neill")
    CategoryFactory(slug="unused-section")
    for number, (slug, published_at) in enumerate(zip(AWKWARD_SLUGS, AWKWARD_TIMES, strict=True)):
        article = ArticleFactory(
            slug=slug, published_at=published_at, category=section, authors=[author]
        )
        article.tags.add(tag)
        # The last change, on another local day than in UTC for some.
        Article.objects.filter(pk=article.pk).update(updated_at=AWKWARD_TIMES[-1 - number])
    ArticleFactory(slug="protected", password="letmein", category=section)
    ArticleFactory(slug="a-draft", status=Article.Status.DRAFT, published_at=None)
    for slug, status in (("about", "published"), ("café-été", "published"), ("d", "draft")):
        Page.objects.create(title=slug, slug=slug, status=status)


def djangos_page(section, *, host="testserver", secure=False):
    """Django's own sitemap view's answer for `section`, over the same items."""
    request = RequestFactory().get(f"/sitemap-{section}.xml", HTTP_HOST=host, secure=secure)
    response = django_sitemaps.sitemap(request, DJANGOS, section=section)
    return response.render()


def ours(section, *, host="testserver", secure=False):
    # A reader with a cookie of their own: rendered for them, not the page cache's copy.
    reader = Client(HTTP_COOKIE="reader=1")
    return reader.get(f"/sitemap-{section}.xml", HTTP_HOST=host, secure=secure)


@pytest.mark.parametrize("section", DJANGOS)
def test_a_page_is_what_djangos_sitemap_writes_for_the_same_items(awkward_archive, section):
    response = ours(section)
    expected = djangos_page(section)

    assert response.status_code == 200
    assert response.content == expected.content
    assert response.get("Last-Modified") == expected.get("Last-Modified")
    assert response["Content-Type"] == expected["Content-Type"] == "application/xml"
    assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"


@pytest.mark.parametrize("section", DJANGOS)
def test_addresses_are_escaped_under_an_awkward_prefix_and_host(awkward_archive, section):
    # A site served under a prefix with characters XML escapes, on another port, in HTTPS.
    where = {"host": "testserver:8443", "secure": True}
    with override_script_prefix("/Tom's & Co/"):
        response = ours(section, **where)
        expected = djangos_page(section, **where)

    assert response.content == expected.content
    text = response.content.decode()
    assert "<loc>https://testserver:8443/Tom&#x27;s%20&amp;%20Co/" in text
    assert "& " not in text


def test_every_article_address_is_its_get_absolute_url(awkward_archive):
    text = ours("articles").content.decode()

    for article in Article.objects.published().unprotected():
        assert f"<loc>http://testserver{article.get_absolute_url()}</loc>" in text
    # The first: published 31 December 2023 in St John's, 1 January 2024 in UTC.
    assert "<loc>http://testserver/2023/12/31/a/</loc><lastmod>" in text


def test_a_sitemap_from_the_page_cache_keeps_its_robots_and_last_modified_headers(
    awkward_archive, client
):
    first = client.get("/sitemap-articles.xml")
    stored = client.get("/sitemap-articles.xml")

    assert (first["X-Page-Cache"], stored["X-Page-Cache"]) == ("miss", "hit")
    assert stored.content == first.content
    assert stored["X-Robots-Tag"] == "noindex, noodp, noarchive"
    assert stored["Last-Modified"] == first["Last-Modified"]
