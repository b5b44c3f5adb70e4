"""Who may read an article before readers can: the preview at /preview/<pk>/."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpublished():
    return {
        "draft": ArticleFactory(
            title="Secret draft", status=Article.Status.DRAFT, published_at=None
        ),
        "scheduled": ArticleFactory(
            title="Embargoed story", published_at=timezone.now() + timedelta(days=2)
        ),
    }


def preview(article):
    return reverse("articles:preview", args=[article.pk])


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_moderator_gets_403_on_an_unpublished_preview(moderator_client, unpublished, state):
    article = unpublished[state]

    response = moderator_client.get(preview(article))

    assert response.status_code == 403
    assert article.title not in response.text
    assert "permission" in response.text


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_staff_without_a_group_gets_403_on_an_unpublished_preview(client, unpublished, state):
    client.force_login(UserFactory(is_staff=True))
    article = unpublished[state]

    response = client.get(preview(article))

    assert response.status_code == 403
    assert article.title not in response.text


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_editor_reads_an_unpublished_preview(editor_client, unpublished, state):
    article = unpublished[state]

    response = editor_client.get(preview(article))

    assert response.status_code == 200
    assert article.title in response.text


def test_anonymous_visitor_is_sent_to_the_login(client, unpublished):
    url = preview(unpublished["draft"])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "Secret draft" not in response.text


def test_moderator_still_previews_a_published_article(moderator_client):
    # A pending comment's admin link leads to its article's preview: what readers can
    # already see is no secret.
    article = ArticleFactory(title="Public story")

    response = moderator_client.get(preview(article))

    assert response.status_code == 200
    assert "Public story" in response.text
