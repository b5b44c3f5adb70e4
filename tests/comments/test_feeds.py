"""RSS feeds of approved comments, site-wide and per article."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return response.content.decode()


def test_site_comments_feed_lists_approved_comments_only(client):
    approved = CommentFactory(body="Approved words.")
    for status in (Comment.Status.PENDING, Comment.Status.SPAM, Comment.Status.REMOVED):
        CommentFactory(status=status, body=f"{status} words.")

    xml = feed(client, reverse("comments:feed"))

    assert "Approved words." in xml
    assert f"/comments/{approved.pk}/" in xml
    for status in ("pending", "spam", "removed"):
        assert f"{status} words." not in xml


def test_site_comments_feed_leaves_out_comments_on_unpublished_articles(client):
    CommentFactory(
        article=ArticleFactory(status=Article.Status.DRAFT, published_at=None), body="On a draft."
    )
    CommentFactory(
        article=ArticleFactory(published_at=timezone.now() + timedelta(days=1)),
        body="On a scheduled piece.",
    )

    xml = feed(client, reverse("comments:feed"))

    assert "On a draft." not in xml
    assert "On a scheduled piece." not in xml


def test_article_comments_feed_lists_that_articles_approved_comments(client):
    article = ArticleFactory(title="Bridge reopens")
    CommentFactory(article=article, body="Here.", author_name="Noor")
    CommentFactory(article=article, body="Held.", status=Comment.Status.PENDING)
    CommentFactory(body="Elsewhere.")

    xml = feed(client, reverse("comments:article_feed", args=[article.pk]))

    assert "Comments on “Bridge reopens”" in xml
    assert "Here." in xml
    assert "Held." not in xml
    assert "Elsewhere." not in xml
    assert ">Noor</dc:creator>" in xml


def test_feeds_name_authors_without_their_email(client):
    comment = CommentFactory(author_email="private.person@readers.example")

    for url in (
        reverse("comments:feed"),
        reverse("comments:article_feed", args=[comment.article_id]),
    ):
        xml = feed(client, url)
        assert "private.person" not in xml
        assert "<author>" not in xml


def test_comments_feed_of_an_unpublished_article_is_404(client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)

    assert client.get(reverse("comments:article_feed", args=[draft.pk])).status_code == 404
