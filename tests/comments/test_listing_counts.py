"""Approved comment counts on the listings: one query per page, whatever the articles."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    CommentFactory,
    PendingCommentFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def test_listings_show_approved_comments_only(client):
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=2))
    CommentFactory.create_batch(3, article=article)
    PendingCommentFactory(article=article)
    ArticleFactory(published_at=timezone.now() - timedelta(days=1))  # leads, no comments

    page = client.get("/").content.decode()

    assert (
        f'<a class="comment-count" href="{article.get_absolute_url()}#comments">3 comments</a>'
        in page
    )
    assert "No comments" in page


def test_the_lead_story_has_its_count_too(client):
    lead = ArticleFactory()
    CommentFactory(article=lead)

    page = client.get("/").content.decode()

    assert f'href="{lead.get_absolute_url()}#comments">1 comment</a>' in page


@pytest.mark.parametrize("listing", ["category", "tag", "author", "archive_month", "search"])
def test_every_listing_shows_the_counts(client, listing):
    tag = TagFactory(slug="harbour")
    article = ArticleFactory(title="Harbour news")
    article.tags.add(tag)
    CommentFactory.create_batch(2, article=article)
    local = timezone.localtime(article.published_at)
    url = {
        "category": article.category.get_absolute_url(),
        "tag": "/tag/harbour/",
        "author": article.byline_authors[0].get_absolute_url(),
        "archive_month": f"/{local.year}/{local.month:02d}/",
        "search": "/search/?q=harbour",
    }[listing]

    assert "2 comments</a>" in client.get(url).content.decode()


def test_approving_a_comment_updates_the_count_on_the_cached_front_page(client):
    article = ArticleFactory()
    pending = PendingCommentFactory(article=article)
    assert "No comments" in client.get("/").content.decode()

    pending.approve()

    assert "1 comment</a>" in client.get("/").content.decode()


def test_the_counts_cost_one_query_however_many_articles_and_comments(
    client, django_assert_num_queries
):
    from tests.articles.test_query_counts import FRONT_PAGE_QUERIES

    for _ in range(10):
        CommentFactory.create_batch(3, article=ArticleFactory())

    with django_assert_num_queries(FRONT_PAGE_QUERIES):
        assert client.get("/").status_code == 200
