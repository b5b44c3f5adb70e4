from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    CommentFactory,
    PendingCommentFactory,
)

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:articles_article_changelist")


def rows(response):
    return list(response.context["cl"].result_list)


def test_list_shows_draft_scheduled_and_published_at_a_glance(editor_client):
    ArticleFactory(title="Live story")
    ArticleFactory(title="Draft story", status=Article.Status.DRAFT, published_at=None)
    when = timezone.now() + timedelta(days=3)
    ArticleFactory(title="Later story", published_at=when)

    text = editor_client.get(ARTICLES).text

    assert "Published" in text
    assert "Draft" in text
    local = timezone.localtime(when)
    assert f"Scheduled for {local.day} {local:%b %Y, %H:%M}" in text


@pytest.mark.parametrize("state, title", [("draft", "Draft"), ("scheduled", "Later")])
def test_state_filter(editor_client, state, title):
    ArticleFactory(title="Live")
    ArticleFactory(title="Draft", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(title="Later", published_at=timezone.now() + timedelta(days=1))

    response = editor_client.get(ARTICLES, {"state": state})

    assert [a.title for a in rows(response)] == [title]


def test_category_filter_and_search(editor_client):
    sport = CategoryFactory(name="Sport")
    match = ArticleFactory(title="Derby ends level", category=sport)
    ArticleFactory(title="Budget approved")

    assert rows(editor_client.get(ARTICLES, {"category__id__exact": sport.pk})) == [match]
    assert rows(editor_client.get(ARTICLES, {"q": "derby"})) == [match]


def test_search_finds_articles_by_author_name(editor_client):
    article = ArticleFactory(authors=[AuthorFactory(name="Priya Shah")])
    ArticleFactory()

    assert rows(editor_client.get(ARTICLES, {"q": "Priya"})) == [article]


def test_list_shows_approved_and_pending_comment_counts(editor_client):
    article = ArticleFactory()
    CommentFactory.create_batch(2, article=article)
    PendingCommentFactory.create_batch(3, article=article)

    row = rows(editor_client.get(ARTICLES))[0]

    assert (row.approved_comment_count, row.pending_comment_count) == (2, 3)


def test_draft_links_to_its_preview(editor_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))

    text = editor_client.get(ARTICLES).text

    assert reverse("articles:preview", args=[draft.pk]) in text
    assert reverse("articles:preview", args=[scheduled.pk]) in text
    assert scheduled.get_absolute_url() not in text


def test_change_page_view_on_site_is_the_preview_for_a_scheduled_article(editor_client):
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))

    text = editor_client.get(reverse("admin:articles_article_change", args=[scheduled.pk])).text

    assert reverse("articles:preview", args=[scheduled.pk]) in text


def test_change_page_has_the_byline_with_author_autocomplete(editor_client):
    article = ArticleFactory()

    response = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))

    assert "admin-autocomplete" in response.text
    assert 'name="bylines-0-position"' in response.text


def test_author_autocomplete_finds_authors_by_name(editor_client):
    AuthorFactory(name="Priya Shah")
    AuthorFactory(name="Tom Jones")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "priya",
            "app_label": "articles",
            "model_name": "articleauthor",
            "field_name": "author",
        },
    )

    assert [r["text"] for r in response.json()["results"]] == ["Priya Shah"]


def _changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ARTICLES)
    assert response.status_code == 200
    return len(queries)


def test_articles_list_costs_the_same_queries_for_2_or_30_articles(editor_client):
    for article in ArticleFactory.create_batch(2):
        PendingCommentFactory(article=article)
    editor_client.get(ARTICLES)
    few = _changelist_queries(editor_client)

    for article in ArticleFactory.create_batch(28, authors=[AuthorFactory(), AuthorFactory()]):
        CommentFactory(article=article)
    many = _changelist_queries(editor_client)

    assert few == many


def publish_action(client, action, articles):
    return client.post(
        ARTICLES,
        {"action": action, "index": "0", ACTION_CHECKBOX_NAME: [a.pk for a in articles]},
        follow=True,
    )


def test_publish_action_publishes_drafts_now_and_logs_it(editor_client, editor):
    undated = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    before = timezone.now()

    response = publish_action(editor_client, "publish", [undated])

    undated.refresh_from_db()
    assert undated.is_published
    assert undated.published_at >= before
    assert "1 article published." in response.text
    entry = LogEntry.objects.get(user=editor)
    assert (entry.object_id, entry.get_change_message()) == (str(undated.pk), "Published.")


def test_publish_action_keeps_a_future_date_so_the_article_is_scheduled(editor_client):
    when = timezone.now() + timedelta(days=2)
    dated = ArticleFactory(status=Article.Status.DRAFT, published_at=when)

    publish_action(editor_client, "publish", [dated])

    dated.refresh_from_db()
    assert dated.is_scheduled
    assert dated.published_at == when


def test_unpublish_action_returns_articles_to_draft_and_logs_it(editor_client, editor):
    live = ArticleFactory()

    response = publish_action(editor_client, "unpublish", [live])

    live.refresh_from_db()
    assert live.status == Article.Status.DRAFT
    assert not Article.objects.published().filter(pk=live.pk).exists()
    assert "1 article unpublished." in response.text
    assert LogEntry.objects.filter(user=editor, object_id=str(live.pk)).exists()
