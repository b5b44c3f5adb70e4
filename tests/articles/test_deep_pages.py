"""A listing's deep pages show the right articles and cost what its first page costs:
page N finds its ids from the index (articles/pagination.py), never reading the rows of
the pages before it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, TagFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.now().year - 1


@pytest.fixture
def listing(settings):
    """Seven published articles in one section, tag, author and month, newest first,
    two of them at the same time (the id decides), and a draft among them."""
    settings.ARTICLES_PER_PAGE = 2
    section, tag = CategoryFactory(slug="harbour"), TagFactory(slug="ferries")
    author = AuthorFactory(slug="mara")
    start = timezone.make_aware(timezone.datetime(YEAR, 3, 1, 12))
    times = [start + timedelta(hours=hours) for hours in (1, 2, 3, 3, 4, 5, 6)]
    made = []
    for at in times:
        article = ArticleFactory(category=section, authors=[author], published_at=at)
        article.tags.add(tag)
        made.append(article)
    draft = ArticleFactory(category=section, authors=[author], status=Article.Status.DRAFT)
    draft.tags.add(tag)
    # Newest first; of the two at the same time, the later id first.
    return sorted(made, key=lambda article: (article.published_at, article.pk), reverse=True)


LISTINGS = ["/category/harbour/", "/tag/ferries/", "/author/mara/", f"/{YEAR}/", f"/{YEAR}/03/"]


def shown(url, page):
    response = Client().get(url, {"page": page} if page > 1 else {})
    assert response.status_code == 200
    return list(response.context["articles"])


@pytest.mark.parametrize("url", LISTINGS)
def test_each_page_shows_the_next_articles_in_order(listing, url):
    pages = [shown(url, number) for number in (1, 2, 3, 4)]

    assert pages == [listing[0:2], listing[2:4], listing[4:6], listing[6:7]]


def test_the_front_page_pages_leave_out_the_lead_story(listing):
    lead = listing[3]
    lead.is_lead_story = True
    lead.save()
    rest = [article for article in listing if article != lead]

    # Page 1 shows the lead and two more; the pages after go on from there.
    assert shown("/", 2) == rest[2:4]
    assert shown("/", 3) == rest[4:6]


@pytest.mark.parametrize("url", LISTINGS + ["/"])
def test_a_deep_page_costs_the_queries_of_the_second(listing, url):
    def queries(page):
        with CaptureQueriesContext(connection) as captured:
            shown(url, page)
        return len(captured)

    queries(1)  # The shared parts of the page (the sections' menu) made once.
    assert queries(4) == queries(2)


@pytest.mark.parametrize("url", LISTINGS)
def test_a_deep_page_reads_only_its_own_rows(listing, url):
    with CaptureQueriesContext(connection) as captured:
        shown(url, 3)

    # The page's articles are read by id, the ids found by the ordering alone: whole
    # rows are never skipped with OFFSET.
    rows = [sql for sql in (query["sql"] for query in captured.captured_queries) if "body" in sql]
    page = [sql for sql in rows if "OFFSET" in sql]
    assert len(page) == 1
    subquery = page[0].index('"articles_article"."id" IN (SELECT')
    assert page[0].index("OFFSET") > subquery


def test_a_listing_is_counted_once_for_all_its_pages(listing):
    with CaptureQueriesContext(connection) as first:
        shown("/category/harbour/", 2)
    with CaptureQueriesContext(connection) as second:
        shown("/category/harbour/", 3)

    def counts(captured):
        return [q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"]]

    assert len(counts(first)) == 1
    assert counts(second) == []


def test_a_new_article_is_counted_at_once(listing):
    response = Client().get("/category/harbour/")
    assert "Page 1 of 4" in response.text

    # Seven articles, two to a page: the ninth makes a fifth page.
    ArticleFactory.create_batch(2, category=listing[0].category, authors=[])

    assert "Page 1 of 5" in Client().get("/category/harbour/").text
