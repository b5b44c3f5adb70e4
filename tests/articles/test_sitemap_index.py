"""/sitemap.xml is an index of the sections' sitemaps, each in pages of at most
Sitemap.limit addresses; an article page's cost does not grow with its number."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from articles.sitemaps import ArticleSitemap
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def locations(response):
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)


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
    # The first and last id, then the page's range: no COUNT, no OFFSET.
    assert counts == [2, 2, 2]
    assert not any("OFFSET" in query["sql"].upper() for query in queries.captured_queries)
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


def test_the_index_costs_the_same_queries_however_many_pages(two_per_page):
    def index_queries():
        with CaptureQueriesContext(connection) as queries:
            assert uncached().get("/sitemap.xml").status_code == 200
        return len(queries)

    ArticleFactory.create_batch(2, authors=[])
    few = index_queries()
    ArticleFactory.create_batch(6, authors=[])
    assert index_queries() == few


def test_sitemaps_are_served_from_the_page_cache(client, archive):
    for url in ("/sitemap.xml", "/sitemap-articles.xml", "/sitemap-tags.xml"):
        assert client.get(url)["X-Page-Cache"] == "miss"
        assert client.get(url)["X-Page-Cache"] == "hit"
