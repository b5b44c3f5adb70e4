"""/sitemap.xml is an index of the sections' sitemaps, each in pages of ranges of ids;
neither the index nor a page costs more queries as the archive grows."""

import re
from datetime import timedelta

import pytest
from defusedxml import ElementTree
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.sitemaps import ArchiveSitemap
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db


def locations(response):
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


@pytest.fixture
def two_per_page(monkeypatch):
    # Articles, sections, tags and authors alike.
    monkeypatch.setattr(ArchiveSitemap, "limit", 2)


@pytest.fixture
def archive(db):
    """Seven articles in the order of their ids: five readers may see, a draft and a
    protected one among them."""
    section = CategoryFactory()
    kinds = ["published", "published", "draft", "published", "protected", "published", "published"]
    made = []
    for kind in kinds:
        options = {"category": section, "authors": []}
        if kind == "draft":
            options.update(status=Article.Status.DRAFT, published_at=None)
        elif kind == "protected":
            options.update(password="letmein")
        made.append(ArticleFactory(**options))
    return made


def test_the_index_lists_a_sitemap_for_each_kind_of_page(client, archive):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert "<sitemapindex" in response.content.decode()
    assert locations(response) == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-categories.xml",
        "http://testserver/sitemap-tags.xml",
        "http://testserver/sitemap-authors.xml",
        "http://testserver/sitemap-pages.xml",
    ]


def test_the_index_lists_every_page_of_the_articles_sitemap(client, archive, two_per_page):
    listed = locations(client.get("/sitemap.xml"))

    # Seven ids, two to a page.
    assert [url for url in listed if "articles" in url] == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
        "http://testserver/sitemap-articles.xml?p=3",
        "http://testserver/sitemap-articles.xml?p=4",
    ]


def test_a_page_holds_the_articles_of_its_range_of_ids(client, archive, two_per_page):
    first, second, draft, third, protected, fourth, fifth = archive

    pages = [locations(client.get(f"/sitemap-articles.xml?p={n}")) for n in (1, 2, 3, 4)]

    def url(article):
        return f"http://testserver{article.get_absolute_url()}"

    assert pages == [
        [url(first), url(second)],
        [url(third)],  # the draft is left out
        [url(fourth)],  # and the protected article
        [url(fifth)],
    ]


def test_a_page_past_the_last_is_not_found(client, archive, two_per_page):
    assert client.get("/sitemap-articles.xml?p=5").status_code == 404
    assert client.get("/sitemap-articles.xml?p=0").status_code == 404
    assert client.get("/sitemap-articles.xml?p=two").status_code == 404


def test_with_no_articles_the_sitemap_answers_empty(client):
    response = client.get("/sitemap-articles.xml")

    assert response.status_code == 200
    assert locations(response) == []


def uncached():
    """A reader with a cookie of their own: each page rendered, never the cache's copy."""
    return Client(HTTP_COOKIE="session=1")


def test_every_page_of_the_articles_sitemap_costs_the_same_queries(archive, two_per_page):
    counts = []
    for number in (1, 2, 4):
        with CaptureQueriesContext(connection) as queries:
            response = uncached().get(f"/sitemap-articles.xml?p={number}")
        assert response.status_code == 200
        counts.append(len(queries))
    # The first and last id, the page's range, its latest change (Last-Modified): no
    # COUNT, no OFFSET.
    assert counts == [3, 3, 3]
    assert not any("OFFSET" in query["sql"].upper() for query in queries.captured_queries)
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


def test_the_index_costs_the_same_queries_however_many_pages(two_per_page):
    def index_queries():
        with CaptureQueriesContext(connection) as queries:
            assert uncached().get("/sitemap.xml").status_code == 200
        return len(queries)

    ArticleFactory.create_batch(2, authors=[])
    few = index_queries()
    for _ in range(6):
        ArticleFactory(authors=[AuthorFactory()]).tags.add(TagFactory(), TagFactory())
    assert index_queries() == few


def test_sitemaps_are_served_from_the_page_cache(client, archive):
    for url in ("/sitemap.xml", "/sitemap-articles.xml", "/sitemap-tags.xml"):
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"


def sitemap_section(url):
    return url.removeprefix("http://testserver/sitemap-").split(".xml")[0]


def test_the_index_lists_every_page_of_the_sections_tags_and_authors(client, two_per_page):
    tags = TagFactory.create_batch(5)
    authors = AuthorFactory.create_batch(3)
    ArticleFactory(authors=authors).tags.add(*tags)

    listed = locations(client.get("/sitemap.xml"))

    pages = {}
    for url in listed:
        pages.setdefault(sitemap_section(url), []).append(url.partition("?")[2] or "p=1")
    # Five tags, two to a page; three authors; one section (the article's).
    assert pages["tags"] == ["p=1", "p=2", "p=3"]
    assert pages["authors"] == ["p=1", "p=2"]
    assert pages["categories"] == ["p=1"]


def crawl(client):
    """Every address of every page the index lists, in order, each page parsed as XML."""
    namespace = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    found = []
    for page_url in index.findall("sm:sitemap/sm:loc", namespace):
        response = client.get(page_url.text.removeprefix("http://testserver"))
        assert response.status_code == 200, page_url.text
        assert response["Content-Type"] == "application/xml"
        urlset = ElementTree.fromstring(response.content)
        assert urlset.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        found += [loc.text for loc in urlset.findall("sm:url/sm:loc", namespace)]
    return found


def test_the_pages_list_exactly_what_readers_may_see(client, two_per_page):
    now = timezone.now()
    reporter, idle, scheduled_only = AuthorFactory.create_batch(3)
    town, empty_section = CategoryFactory.create_batch(2)
    ferries, drafts_only, future_only, unused = TagFactory.create_batch(4)
    readable = ArticleFactory.create_batch(5, category=town, authors=[reporter])
    for article in readable:
        article.tags.add(ferries)
    protected = ArticleFactory(password="letmein", category=town, authors=[reporter])
    draft = ArticleFactory(
        status=Article.Status.DRAFT,
        published_at=None,
        category=empty_section,
        authors=[idle],
    )
    draft.tags.add(drafts_only)
    scheduled = ArticleFactory(
        published_at=now + timedelta(days=2), category=empty_section, authors=[scheduled_only]
    )
    scheduled.tags.add(future_only)

    found = crawl(client)

    def url(item):
        return f"http://testserver{item.get_absolute_url()}"

    assert len(found) == len(set(found))
    assert set(found) == {url(item) for item in [*readable, town, ferries, reporter]}
    assert url(protected) not in found  # its page is a password form
    assert unused.slug not in "".join(found)


def test_a_page_costs_the_same_queries_however_large_the_archive(two_per_page):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert uncached().get(url).status_code == 200
        return len(captured)

    ArticleFactory(authors=[AuthorFactory()]).tags.add(TagFactory(), TagFactory())
    urls = ["/sitemap-articles.xml", "/sitemap-tags.xml", "/sitemap-authors.xml"]
    few = [queries(url) for url in urls]
    for _ in range(10):
        ArticleFactory(authors=[AuthorFactory()]).tags.add(TagFactory(), TagFactory())
    pages_later = [
        "/sitemap-articles.xml?p=6",
        "/sitemap-tags.xml?p=11",
        "/sitemap-authors.xml?p=6",
    ]

    assert [queries(url) for url in urls] == few
    assert [queries(url) for url in pages_later] == few
    # Ids and range; the articles' page also its latest change.
    assert few == [3, 2, 2]


def test_a_term_whose_slug_no_address_takes_is_left_out_and_the_rest_listed(client):
    # A slug written into the database by hand, which no slug field would take and the
    # tag route does not either: it has no address to list. (Unicode slugs, as imported
    # terms named in another script have, do: tests/articles/test_unicode_terms.py.)
    article = ArticleFactory()
    article.tags.add(TagFactory(slug="harbour"), TagFactory(slug="harbour.lights"))

    response = client.get("/sitemap-tags.xml")

    assert response.status_code == 200
    assert locations(response) == ["http://testserver/tag/harbour/"]
