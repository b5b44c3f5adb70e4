"""Moderators feature comments as editors' picks from the admin."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def test_a_moderator_features_a_comment_from_its_admin_page(moderator_client, moderator):
    comment = CommentFactory()
    change = reverse("admin:comments_comment_change", args=[comment.pk])

    assert "Feature as editors’ pick" in moderator_client.get(change).text
    response = moderator_client.post(reverse("admin:comments_comment_feature", args=[comment.pk]))

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.featured_by == moderator
    page_after = moderator_client.get(change).text
    assert "Featured as an editors&#x27; pick." in page_after
    assert 'value="Stop featuring"' in page_after

    moderator_client.post(reverse("admin:comments_comment_unfeature", args=[comment.pk]))
    comment.refresh_from_db()
    assert comment.featured_at is None


def test_a_pending_comment_offers_no_feature_button(moderator_client):
    comment = CommentFactory(status=Comment.Status.PENDING)

    html = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk])).text

    assert "Feature as editors’ pick" not in html


def test_an_editor_cannot_feature_comments(editor_client):
    comment = CommentFactory()

    response = editor_client.post(reverse("admin:comments_comment_feature", args=[comment.pk]))

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.featured_at is None


def test_the_bulk_action_features_the_approved_ones_only(moderator_client):
    article = ArticleFactory()
    approved = CommentFactory.create_batch(2, article=article)
    pending = CommentFactory(article=article, status=Comment.Status.PENDING)

    moderator_client.post(
        reverse("admin:comments_comment_changelist") + "?status=all",
        {"action": "feature", "_selected_action": [c.pk for c in [*approved, pending]]},
    )

    assert set(Comment.objects.exclude(featured_at=None).values_list("pk", flat=True)) == {
        c.pk for c in approved
    }
