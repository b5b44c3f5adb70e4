"""A commenter edits or deletes their own comment: from the browser that posted it, within
COMMENTS_EDIT_WINDOW_MINUTES, every change in the comment's history for moderators."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentEdit
from pagecache.middleware import STATUS_HEADER
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

FIRST = "The bus lane on Mill Road has made my commute ten minutes shorter."
CHANGED = "The bus lane on Mill Road has made my commute twelve minutes shorter."


@pytest.fixture
def own_comment(client, post_comment):
    """A comment `client` posted (its signed cookie lists it), approved by a moderator."""
    article = ArticleFactory()
    assert post_comment(article, comment=FIRST).status_code == 303
    comment = Comment.objects.get()
    comment.approve()
    return comment


def edit(client, comment, text):
    return client.post(reverse("comments:edit", args=[comment.pk]), {"comment": text})


def test_its_author_sees_edit_and_delete_beside_their_comment(client, own_comment):
    page = client.get(own_comment.article.get_absolute_url()).content.decode()

    assert f'href="/comments/{own_comment.pk}/edit/"' in page
    assert f'href="/comments/{own_comment.pk}/delete/"' in page


def test_other_readers_never_see_edit_or_delete(own_comment):
    page = Client().get(own_comment.article.get_absolute_url()).content.decode()

    assert FIRST in page
    assert "/edit/" not in page and "/delete/" not in page


def test_after_the_window_the_links_are_gone(client, own_comment, settings):
    Comment.objects.filter(pk=own_comment.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=settings.COMMENTS_EDIT_WINDOW_MINUTES)
    )

    page = client.get(own_comment.article.get_absolute_url()).content.decode()

    assert FIRST in page
    assert "/edit/" not in page


def test_the_edit_page_shows_the_text_to_change(client, own_comment):
    page = client.get(reverse("comments:edit", args=[own_comment.pk]))

    assert page.status_code == 200
    assert FIRST in page.content.decode()
    assert "no-cache" in page["Cache-Control"]


def test_an_edit_keeps_the_previous_text_for_moderators(client, own_comment):
    response = edit(client, own_comment, CHANGED)

    assert response.status_code == 303
    own_comment.refresh_from_db()
    assert own_comment.body == CHANGED
    assert own_comment.edited_at is not None
    assert list(CommentEdit.objects.values_list("comment", "previous_body")) == [
        (own_comment.pk, FIRST)
    ]


def test_an_approved_comment_edited_goes_through_the_policy_again(client, own_comment):
    edit(client, own_comment, CHANGED)

    own_comment.refresh_from_db()
    # The default policy holds every new comment, and so every edited one.
    assert own_comment.status == Comment.Status.PENDING
    change = own_comment.status_changes.first()
    assert (change.from_status, change.to_status) == ("approved", "pending")
    assert change.note.startswith("Edited by its author.")


def test_an_edit_with_a_disallowed_word_becomes_spam(client, own_comment, settings):
    settings.COMMENTS_DISALLOWED_WORDS = ["casino"]

    edit(client, own_comment, "Visit my casino.")

    own_comment.refresh_from_db()
    assert own_comment.status == Comment.Status.SPAM


def test_an_edit_the_policy_approves_stays_approved_and_is_marked_edited(
    client, own_comment, settings
):
    settings.COMMENTS_AUTO_APPROVE_RETURNING = True
    CommentFactory(
        article=own_comment.article,
        author_name=own_comment.author_name,
        author_email=own_comment.author_email,
    )

    edit(client, own_comment, CHANGED)

    own_comment.refresh_from_db()
    assert own_comment.status == Comment.Status.APPROVED
    page = Client().get(own_comment.article.get_absolute_url()).content.decode()
    assert CHANGED in page and FIRST not in page
    assert "(edited)</time>" in page


def test_the_returning_author_rule_does_not_count_the_edited_comment_itself(
    client, own_comment, settings
):
    settings.COMMENTS_AUTO_APPROVE_RETURNING = True

    edit(client, own_comment, CHANGED)

    own_comment.refresh_from_db()
    assert own_comment.status == Comment.Status.PENDING


def test_a_held_comment_edited_is_never_approved_by_it(client, post_comment, settings):
    settings.COMMENTS_AUTO_APPROVE_RETURNING = True
    article = ArticleFactory()
    post_comment(article, comment=FIRST)
    comment = Comment.objects.get()
    CommentFactory(
        article=article, author_name=comment.author_name, author_email=comment.author_email
    )

    edit(client, comment, CHANGED)

    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Comment.Status.PENDING, CHANGED)


def test_an_edit_reaches_readers_served_from_the_page_cache(client, own_comment, settings):
    settings.COMMENTS_AUTO_APPROVE_RETURNING = True
    CommentFactory(
        article=own_comment.article,
        author_name=own_comment.author_name,
        author_email=own_comment.author_email,
    )
    url = own_comment.article.get_absolute_url()
    Client().get(url)
    assert Client().get(url)[STATUS_HEADER] == "hit"

    edit(client, own_comment, CHANGED)

    again = Client().get(url)
    assert again[STATUS_HEADER] == "miss"
    assert CHANGED in again.content.decode()


def test_an_empty_edit_is_refused_and_changes_nothing(client, own_comment):
    response = edit(client, own_comment, "")

    assert response.status_code == 400
    assert "Please type your comment." in response.content.decode()
    own_comment.refresh_from_db()
    assert own_comment.body == FIRST
    assert not CommentEdit.objects.exists()


def test_after_the_window_an_edit_is_refused(client, own_comment, settings):
    settings.COMMENTS_EDIT_WINDOW_MINUTES = 0

    response = edit(client, own_comment, CHANGED)

    assert response.status_code == 403
    assert "The time to edit this comment has passed" in response.content.decode()
    own_comment.refresh_from_db()
    assert own_comment.body == FIRST


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_another_browser_is_refused(own_comment, action):
    other = Client()

    shown = other.get(reverse(f"comments:{action}", args=[own_comment.pk]))
    sent = other.post(reverse(f"comments:{action}", args=[own_comment.pk]), {"comment": CHANGED})

    assert (shown.status_code, sent.status_code) == (403, 403)
    assert "only be edited or deleted from the browser that posted it" in sent.content.decode()
    own_comment.refresh_from_db()
    assert (own_comment.body, own_comment.status) == (FIRST, Comment.Status.APPROVED)


def test_a_removed_comment_cannot_be_edited(client, own_comment):
    own_comment.remove()

    assert edit(client, own_comment, CHANGED).status_code == 403


def test_delete_asks_to_confirm(client, own_comment):
    page = client.get(reverse("comments:delete", args=[own_comment.pk]))

    assert page.status_code == 200
    assert "Delete your comment?" in page.content.decode()
    own_comment.refresh_from_db()
    assert own_comment.is_approved


def test_deleting_removes_it_audited_and_its_replies_stay(client, own_comment):
    reply = CommentFactory(article=own_comment.article, parent=own_comment, body="A reply.")

    response = client.post(reverse("comments:delete", args=[own_comment.pk]))

    assert response.status_code == 303
    own_comment.refresh_from_db()
    assert own_comment.status == Comment.Status.REMOVED
    assert own_comment.status_changes.first().note == "Deleted by its author."
    page = Client().get(own_comment.article.get_absolute_url()).content.decode()
    assert FIRST not in page
    assert f'id="comment-{reply.pk}"' in page


def test_the_admin_shows_the_earlier_texts(client, own_comment, admin_client):
    edit(client, own_comment, CHANGED)

    page = admin_client.get(reverse("admin:comments_comment_change", args=[own_comment.pk]))

    assert FIRST in page.content.decode()
    assert "edits by its author" in page.content.decode().lower()


def test_moderators_are_mailed_when_an_edit_sends_a_comment_back_to_the_queue(
    client, own_comment, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.COMMENTS_MODERATOR_EMAILS = ["moderators@newsroom.example"]

    with django_capture_on_commit_callbacks(execute=True):
        edit(client, own_comment, CHANGED)

    assert [message.to for message in mailoutbox] == [["moderators@newsroom.example"]]
    assert CHANGED in mailoutbox[0].body


def test_a_personal_data_export_holds_the_earlier_texts(client, own_comment):
    edit(client, own_comment, CHANGED)

    [exported] = Comment.objects.filter(pk=own_comment.pk).export_personal_data()

    assert exported["text"] == CHANGED
    assert [earlier["text"] for earlier in exported["earlier_texts"]] == [FIRST]
