"""A pending comment's "view on site": the article's staff preview shows it, highlighted,
to those who may moderate, and to nobody else."""

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.factories import CommentFactory, PendingCommentFactory

pytestmark = pytest.mark.django_db


def preview_of(comment, **query):
    return reverse("articles:preview", args=[comment.article_id]), query


def test_moderator_sees_the_pending_comment_highlighted_in_the_preview(moderator_client):
    comment = PendingCommentFactory(body="Held back for a look.")
    CommentFactory(article=comment.article, body="Already public.")
    path, _ = preview_of(comment)

    response = moderator_client.get(path, {"highlight": comment.pk})

    assert response.status_code == 200
    assert "Held back for a look." in response.text
    assert "Already public." in response.text
    assert (
        f'id="comment-{comment.pk}" class="comment depth-1 comment-awaiting comment-highlighted"'
        in (response.text)
    )
    assert "Pending: shown to you for moderation, not to readers." in response.text


def test_preview_without_highlight_shows_no_pending_comment(moderator_client):
    comment = PendingCommentFactory(body="Held back for a look.")
    path, _ = preview_of(comment)

    response = moderator_client.get(path)

    assert "Held back for a look." not in response.text


def test_spam_and_removed_comments_can_be_looked_at_too(moderator_client):
    comment = CommentFactory(status=Comment.Status.REMOVED, body="Taken down earlier.")
    path, _ = preview_of(comment)

    response = moderator_client.get(path, {"highlight": comment.pk})

    assert "Taken down earlier." in response.text
    assert "Removed: shown to you for moderation" in response.text


def test_highlight_means_nothing_to_staff_who_may_not_moderate(editor_client):
    comment = PendingCommentFactory(body="Held back for a look.")
    path, _ = preview_of(comment)

    response = editor_client.get(path, {"highlight": comment.pk})

    assert response.status_code == 200
    assert "Held back for a look." not in response.text


def test_highlight_of_a_comment_on_another_article_shows_nothing(moderator_client):
    elsewhere = PendingCommentFactory(body="On another story.")
    here = CommentFactory()
    path = reverse("articles:preview", args=[here.article_id])

    response = moderator_client.get(path, {"highlight": elsewhere.pk})

    assert "On another story." not in response.text


@pytest.mark.parametrize("value", ["abc", "-3", "0", "99999999999999999999999", "1e3"])
def test_malformed_highlight_is_ignored(moderator_client, value):
    comment = PendingCommentFactory()
    path, _ = preview_of(comment)

    response = moderator_client.get(path, {"highlight": value})

    assert response.status_code == 200


def test_preview_with_a_highlight_is_never_cached(moderator_client):
    comment = PendingCommentFactory()
    path, _ = preview_of(comment)

    response = moderator_client.get(path, {"highlight": comment.pk})

    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_highlighted_comment_opens_on_the_comments_page_it_is_on(moderator_client, settings):
    settings.COMMENTS_PER_PAGE = 2
    first = CommentFactory()
    CommentFactory.create_batch(3, article=first.article)
    late = PendingCommentFactory(article=first.article, body="Came in last.")
    path, _ = preview_of(late)

    response = moderator_client.get(path, {"highlight": late.pk})

    assert "Came in last." in response.text
