"""Tag pages /tag/<slug>/, their feeds, and the tags on an article's page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def harbour():
    return TagFactory(name="Harbour", slug="harbour")


def tagged(tag, **fields):
    article = ArticleFactory(**fields)
    article.tags.add(tag)
    return article


def test_tag_page_lists_the_published_articles_with_that_tag(client, harbour):
    tagged(harbour, title="Harbour wall repairs")
    tagged(harbour, title="A draft about boats", status=Article.Status.DRAFT, published_at=None)
    tagged(harbour, title="Scheduled regatta", published_at=timezone.now() + timedelta(days=1))
    ArticleFactory(title="Library hours")

    response = client.get("/tag/harbour/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Harbour</h1>" in page
    assert "Harbour wall repairs" in page
    assert "A draft about boats" not in page
    assert "Scheduled regatta" not in page
    assert "Library hours" not in page


def test_an_unknown_tag_is_not_found(client):
    assert client.get("/tag/nothing/").status_code == 404


def test_tag_pages_are_paginated_and_cached_like_sections(client, harbour, settings):
    settings.ARTICLES_PER_PAGE = 2
    for day in range(3):
        tagged(
            harbour, title=f"Harbour {day}", published_at=timezone.now() - timedelta(days=day + 1)
        )

    first = client.get("/tag/harbour/")
    second = client.get("/tag/harbour/", {"page": 2})

    assert "Page 1 of 2" in first.content.decode()
    assert "Harbour 2" in second.content.decode()
    assert first["X-Page-Cache"] == "miss"
    assert client.get("/tag/harbour/")["X-Page-Cache"] == "hit"


def test_tag_page_runs_a_fixed_number_of_queries(client, harbour, django_assert_num_queries):
    authors = AuthorFactory.create_batch(3)
    for _ in range(8):
        CommentFactory(article=tagged(harbour, authors=authors))

    # Tag, count, articles, bylines, section navigation, comment counts.
    with django_assert_num_queries(6):
        assert client.get("/tag/harbour/").status_code == 200


def test_tag_feeds_carry_the_tagged_articles_alone(client, harbour):
    tagged(harbour, title="Harbour wall repairs")
    tagged(harbour, title="Protected harbour notes", password="secret")
    ArticleFactory(title="Library hours")

    rss = client.get(reverse("articles:tag_feed", args=["harbour"]))
    atom = client.get(reverse("articles:tag_atom", args=["harbour"]))

    assert rss["Content-Type"].startswith("application/rss+xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    for feed in (rss.content.decode(), atom.content.decode()):
        assert "Harbour wall repairs" in feed
        assert "Library hours" not in feed
        assert "Protected harbour notes" not in feed
    assert client.get("/tag/nothing/feed/").status_code == 404


def test_tag_page_links_its_feeds(client, harbour):
    tagged(harbour)

    page = client.get("/tag/harbour/").content.decode()

    assert 'href="/tag/harbour/feed/"' in page
    assert 'href="/tag/harbour/feed/atom/"' in page


def test_the_article_page_links_to_its_tags(client, harbour):
    article = tagged(harbour)
    article.tags.add(TagFactory(name="Boats & <ships>", slug="boats"))

    page = client.get(article.get_absolute_url()).content.decode()

    assert '<a href="/tag/harbour/" rel="tag">Harbour</a>' in page
    assert '<a href="/tag/boats/" rel="tag">Boats &amp; &lt;ships&gt;</a>' in page


def test_a_renamed_tag_shows_on_the_article_page_at_once(client, harbour):
    article = tagged(harbour)
    client.get(article.get_absolute_url())
    harbour.name = "Port"
    harbour.save()

    assert 'rel="tag">Port</a>' in client.get(article.get_absolute_url()).content.decode()


def test_sitemap_lists_tags_with_published_articles_only(client, harbour):
    tagged(harbour)
    empty = TagFactory(slug="empty")
    tagged(empty, status=Article.Status.DRAFT, published_at=None)

    sitemap = client.get("/sitemap-tags.xml").content.decode()

    assert "/tag/harbour/" in sitemap
    assert "/tag/empty/" not in sitemap
