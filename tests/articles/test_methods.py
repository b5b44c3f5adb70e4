"""Public pages answer GET and HEAD; any other method is refused as Django's views do."""

import pytest
from django.test import Client

from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_urls():
    author = AuthorFactory()
    category = CategoryFactory()
    article = ArticleFactory(category=category, authors=[author])
    comment = CommentFactory(article=article)
    year = article.published_at.strftime("%Y")
    month = article.published_at.strftime("%Y/%m")
    return [
        "/",
        article.get_absolute_url(),
        category.get_absolute_url(),
        f"{category.get_absolute_url()}feed/",
        f"{category.get_absolute_url()}feed/atom/",
        author.get_absolute_url(),
        "/archive/",
        f"/{year}/",
        f"/{month}/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/robots.txt",
        f"/comments/{comment.pk}/",
        "/comments/feed/",
        f"/comments/feed/{article.pk}/",
    ]


def test_every_public_page_answers_get_and_head(public_urls):
    for url in public_urls:
        for method in ("get", "head"):
            assert getattr(Client(), method)(url).status_code in (200, 302), (method, url)


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PUT", "DELETE", "PATCH"])
def test_every_public_page_refuses_other_methods_with_the_allowed_ones(public_urls, method):
    for url in public_urls:
        response = Client().generic(method, url)

        assert response.status_code == 405, url
        assert response["Allow"] == "GET, HEAD", url
        assert b"<html" not in response.content.lower(), url
