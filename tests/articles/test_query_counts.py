"""Public pages cost a fixed number of queries, however many articles and authors there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db

# Page count, articles, their bylines (one prefetch), the section navigation, the marked
# lead story (none here), the approved comment counts of the listing.
FRONT_PAGE_QUERIES = 6


def test_front_page_with_one_article_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    ArticleFactory()

    with django_assert_num_queries(FRONT_PAGE_QUERIES):
        assert client.get("/").status_code == 200


def test_front_page_with_many_articles_authors_and_sections_runs_the_same_queries(
    client, django_assert_num_queries
):
    authors = AuthorFactory.create_batch(4)
    for _ in range(10):
        ArticleFactory(authors=authors, category=CategoryFactory())

    with django_assert_num_queries(FRONT_PAGE_QUERIES):
        assert client.get("/").status_code == 200


def test_front_page_with_a_marked_lead_story_adds_its_bylines_alone(
    client, django_assert_num_queries
):
    authors = AuthorFactory.create_batch(3)
    for _ in range(12):
        ArticleFactory(authors=authors, category=CategoryFactory())
    ArticleFactory(is_lead_story=True, authors=authors)

    # The lead's bylines: the one query more.
    with django_assert_num_queries(FRONT_PAGE_QUERIES + 1):
        assert client.get("/").status_code == 200
    # The section navigation and the front page's count are shared fragments by then
    # (articles/pagination.py): two queries less than page 1.
    with django_assert_num_queries(FRONT_PAGE_QUERIES - 1):
        assert client.get("/?page=2").status_code == 200


def _article_page_queries(client, article):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    return len(queries)


def test_article_page_costs_the_same_with_one_author_or_many(client, django_assert_num_queries):
    single = ArticleFactory()
    baseline = _article_page_queries(client, single)
    many = ArticleFactory(authors=AuthorFactory.create_batch(5))
    CategoryFactory.create_batch(6)

    with django_assert_num_queries(baseline):
        assert client.get(many.get_absolute_url()).status_code == 200


# Article, its bylines, its tags, the previous and the next article, the section
# navigation, and where the approved comments are. With comments, one more: what those of
# the page shown say (COMMENT_TEXT_QUERIES).
ARTICLE_PAGE_QUERIES = 7
COMMENT_TEXT_QUERIES = 1


def test_article_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    article = ArticleFactory(authors=AuthorFactory.create_batch(3))

    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_section_navigation_costs_no_query_until_the_sections_change(client):
    from django.test import Client

    article = ArticleFactory(category=CategoryFactory(name="Courts"))
    personal = Client()
    personal.cookies["comment_author"] = "saved details"  # never served from the page cache

    def section_queries():
        with CaptureQueriesContext(connection) as queries:
            response = personal.get(article.get_absolute_url())
        nav_queries = [q for q in queries if 'FROM "articles_category"' in q["sql"]]
        return len(nav_queries), response.text

    assert section_queries()[0] == 1
    assert section_queries()[0] == 0

    CategoryFactory(name="Transport")
    queries, text = section_queries()
    assert queries == 1
    assert ">Transport</a>" in text
    assert ">Courts</a>" in text
