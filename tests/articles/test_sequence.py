"""Previous and next article links on an article's page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def test_an_article_links_to_the_published_articles_before_and_after_it(client):
    older = ArticleFactory(title="Older story", published_at=days_ago(3))
    article = ArticleFactory(published_at=days_ago(2))
    newer = ArticleFactory(title="Newer story", published_at=days_ago(1))
    ArticleFactory(title="Draft story", status=Article.Status.DRAFT, published_at=days_ago(1.5))
    ArticleFactory(title="Scheduled story", published_at=timezone.now() + timedelta(days=1))

    page = client.get(article.get_absolute_url()).content.decode()

    assert f'href="{older.get_absolute_url()}" rel="prev"' in page
    assert f'href="{newer.get_absolute_url()}" rel="next"' in page
    assert "Draft story" not in page
    assert "Scheduled story" not in page


def test_the_newest_article_has_no_next_and_the_oldest_no_previous(client):
    oldest = ArticleFactory(published_at=days_ago(2))
    newest = ArticleFactory(published_at=days_ago(1))

    oldest_page = client.get(oldest.get_absolute_url()).content.decode()
    newest_page = client.get(newest.get_absolute_url()).content.decode()

    assert 'rel="prev"' not in oldest_page.split('class="article-sequence"')[1]
    assert 'rel="next"' not in newest_page.split('class="article-sequence"')[1]


def test_articles_published_at_the_same_moment_are_ordered_by_id():
    moment = days_ago(1)
    first, second, third = (ArticleFactory(published_at=moment) for _ in range(3))

    assert second.previous_published() == first
    assert second.next_published() == third
    assert first.previous_published() is None
    assert third.next_published() is None


def test_a_newly_published_article_shows_as_next_at_once(client):
    article = ArticleFactory(published_at=days_ago(2))
    client.get(article.get_absolute_url())

    newer = ArticleFactory(title="Breaking story", published_at=days_ago(1))

    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{newer.get_absolute_url()}" rel="next"' in page


def test_the_links_are_in_the_cached_page_and_cost_no_query_then(client, django_assert_num_queries):
    ArticleFactory(published_at=days_ago(3))
    article = ArticleFactory(published_at=days_ago(2))
    client.get(article.get_absolute_url())

    with django_assert_num_queries(0):
        response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert 'rel="prev"' in response.content.decode()
