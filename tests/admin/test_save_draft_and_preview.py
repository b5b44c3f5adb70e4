"""Save draft and preview: one click on the add or change page saves a draft (never
published) and opens the staff preview."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.admin.test_article_editor import article_form_data
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

ADD = reverse("admin:articles_article_add")


def test_add_page_offers_save_draft_and_preview(editor_client):
    assert 'name="_savedraftpreview"' in editor_client.get(ADD).text


def test_save_draft_and_preview_saves_a_draft_and_opens_its_preview(editor_client):
    response = editor_client.post(ADD, article_form_data(_savedraftpreview="1"))

    article = Article.objects.get(slug="tram-line-extended")
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:preview", args=[article.pk])
    assert article.status == Article.Status.DRAFT
    preview = editor_client.get(response["Location"])
    assert preview.status_code == 200
    assert "Tram line extended to the harbour" in preview.text


def test_save_draft_and_preview_never_publishes(editor_client):
    data = article_form_data(
        status="published",
        published_at_0="2024-01-01",
        published_at_1="09:00:00",
        _savedraftpreview="1",
    )

    editor_client.post(ADD, data)

    article = Article.objects.get(slug="tram-line-extended")
    assert article.status == Article.Status.DRAFT
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_save_draft_and_preview_on_a_draft_keeps_the_changes(editor_client):
    draft = ArticleFactory(
        status=Article.Status.DRAFT, published_at=None, slug="tram-line-extended"
    )
    change = reverse("admin:articles_article_change", args=[draft.pk])
    assert 'name="_savedraftpreview"' in editor_client.get(change).text

    response = editor_client.post(
        change, article_form_data(title="Tram line reaches the harbour", _savedraftpreview="1")
    )

    assert response["Location"] == reverse("articles:preview", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.title == "Tram line reaches the harbour"
    assert draft.status == Article.Status.DRAFT


def test_a_live_article_is_not_offered_save_draft_and_preview(editor_client):
    live = ArticleFactory()
    change = reverse("admin:articles_article_change", args=[live.pk])

    assert 'name="_savedraftpreview"' not in editor_client.get(change).text


def test_an_invalid_article_is_shown_again_with_its_errors(editor_client):
    response = editor_client.post(ADD, article_form_data(title="", _savedraftpreview="1"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"]
    assert not Article.objects.exists()
