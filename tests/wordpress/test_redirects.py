"""Old WordPress links: /?p=<id> and old permalinks answer 301 to the article."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported_article():
    return ArticleFactory(wordpress_id=1148, wordpress_path="/2012/01/03/template-comments/")


def test_post_id_link_redirects_permanently_to_the_article(client, imported_article):
    response = client.get("/?p=1148")

    assert response.status_code == 301
    assert response["Location"] == imported_article.get_absolute_url()


def test_post_id_link_through_index_php_redirects_too(client, imported_article):
    response = client.get("/index.php?p=1148")

    assert response.status_code == 301
    assert response["Location"] == imported_article.get_absolute_url()


def test_post_id_link_to_a_draft_is_not_found(client):
    ArticleFactory(wordpress_id=7, status=Article.Status.DRAFT)

    assert client.get("/?p=7").status_code == 404


def test_post_id_link_to_a_scheduled_article_is_not_found(client):
    ArticleFactory(wordpress_id=8, published_at=timezone.now() + timedelta(days=1))

    assert client.get("/?p=8").status_code == 404


def test_post_id_link_to_an_unknown_or_bad_id_is_not_found(client, imported_article):
    assert client.get("/?p=999").status_code == 404
    assert client.get("/?p=abc").status_code == 404


def test_front_page_without_post_id_is_unaffected(client, imported_article):
    assert client.get("/").status_code == 200


def test_old_permalink_redirects_permanently_to_the_article(client, imported_article):
    response = client.get("/2012/01/03/template-comments/")

    assert response.status_code == 301
    assert response["Location"] == imported_article.get_absolute_url()


def test_old_permalink_without_its_trailing_slash_redirects_too(client, imported_article):
    response = client.get("/2012/01/03/template-comments")

    assert response.status_code == 301
    assert response["Location"] == imported_article.get_absolute_url()


def test_old_permalink_of_a_draft_stays_not_found(client):
    ArticleFactory(wordpress_id=9, wordpress_path="/old-draft/", status=Article.Status.DRAFT)

    assert client.get("/old-draft/").status_code == 404


def test_unknown_path_stays_not_found(client, imported_article):
    assert client.get("/no-such-page/").status_code == 404


def test_redirects_work_after_a_real_import(client, write_wxr, import_wxr):
    from .conftest import wxr_post

    import_wxr(write_wxr(wxr_post(42, slug="hello", link="https://old.example/archives/42")))
    article = Article.objects.get()

    assert client.get("/?p=42")["Location"] == article.get_absolute_url()
    assert client.get("/archives/42")["Location"] == article.get_absolute_url()
