"""The year and month archives' lists of months and days: read once per content
generation, and current after every change."""

from datetime import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def at(year, month, day=10):
    return timezone.make_aware(datetime(year, month, day, 12, 0))


def reader():
    # A cookie of their own: the page is rendered for them, not served from the page cache.
    return Client(HTTP_COOKIE="reader=1")


def queries_for(url):
    with CaptureQueriesContext(connection) as queries:
        response = reader().get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def test_a_years_months_are_read_once_and_follow_each_publication():
    ArticleFactory(title="March story", published_at=at(2019, 3))
    ArticleFactory(title="July story", published_at=at(2019, 7))

    first, first_queries = queries_for("/2019/")
    again, again_queries = queries_for("/2019/")

    for page in (first, again):
        assert 'href="/2019/03/">March' in page.content.decode()
        assert 'href="/2019/07/">July' in page.content.decode()
    assert any("DISTINCT" in sql for sql in first_queries)
    assert not any("DISTINCT" in sql for sql in again_queries)
    assert len(again_queries) < len(first_queries)

    ArticleFactory(title="November story", published_at=at(2019, 11))
    after, _ = queries_for("/2019/")

    assert 'href="/2019/11/">November' in after.content.decode()


def test_a_months_days_follow_each_publication():
    ArticleFactory(title="Early story", published_at=at(2019, 3, 2))
    assert "Early story" in reader().get("/2019/03/").content.decode()

    ArticleFactory(title="Late story", published_at=at(2019, 3, 28))
    page = reader().get("/2019/03/").content.decode()

    assert "Late story" in page and "Early story" in page


def test_an_archive_page_reads_no_bylines_once_its_teasers_are_shared():
    ArticleFactory.create_batch(2, published_at=at(2019, 5))
    ArticleFactory(published_at=at(2019, 5), authors=[AuthorFactory(name="Ines Byline")])
    first, _ = queries_for("/2019/05/")

    again, queries = queries_for("/2019/05/")

    assert not any("articles_articleauthor" in sql for sql in queries)
    for page in (first, again):
        assert "Ines Byline" in page.content.decode()
