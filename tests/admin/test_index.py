import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CommentFactory, PendingCommentFactory

pytestmark = pytest.mark.django_db


def test_pending_count_is_shown_on_the_admin_index(moderator_client):
    PendingCommentFactory.create_batch(3)
    CommentFactory()

    text = moderator_client.get(reverse("admin:index")).text

    assert "3 comments pending" in text
    assert "Pending comments: 3" in text


def test_pending_count_is_in_the_header_of_other_admin_pages(moderator_client):
    PendingCommentFactory()

    text = moderator_client.get(reverse("admin:comments_comment_changelist")).text

    assert "Pending comments: 1" in text


def test_pending_count_is_counted_once_for_the_header_and_the_index(moderator_client):
    PendingCommentFactory()

    with CaptureQueriesContext(connection) as queries:
        moderator_client.get(reverse("admin:index"))

    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "comments_comment" in q["sql"]]
    assert len(counts) == 1


def test_editors_are_not_shown_the_pending_count(editor_client):
    PendingCommentFactory()

    text = editor_client.get(reverse("admin:index")).text

    assert "Pending comments" not in text
    assert "comment pending" not in text


def test_admin_is_titled_with_the_site_name(moderator_client, settings):
    assert settings.SITE_NAME in moderator_client.get(reverse("admin:index")).text


def test_admin_index_needs_no_inline_styles(moderator_client):
    PendingCommentFactory()

    assert ' style="' not in moderator_client.get(reverse("admin:index")).text
