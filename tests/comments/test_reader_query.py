"""The query behind every comment section stays on the (article, status) index.

A comment flood leaves thousands of pending comments on one article; a reader's query
that read them all would slow every page of that article down.
"""

import pytest
from django.db import connection

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, PendingCommentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
@pytest.mark.parametrize("own_pending", [False, True])
def test_reader_query_searches_the_article_status_index(own_pending):
    article = ArticleFactory()
    CommentFactory.create_batch(3, article=article)
    pending = PendingCommentFactory.create_batch(3, article=article)
    own = [pending[0].pk] if own_pending else []

    plan = Comment.objects.for_reader(own, article=article).order_by().explain()

    assert "SCAN comments_comment" not in plan
    # Both article and status from the index: not every comment of the article.
    assert "(article_id=? AND status=?)" in plan, plan


def test_reader_sees_approved_and_only_their_own_pending_comments():
    article = ArticleFactory()
    approved = CommentFactory(article=article)
    mine, theirs = PendingCommentFactory.create_batch(2, article=article)
    CommentFactory(article=article, status=Comment.Status.SPAM)
    CommentFactory(status=Comment.Status.APPROVED)  # another article's

    seen = set(Comment.objects.for_reader([mine.pk], article=article))

    assert seen == {approved, mine}
    assert theirs not in seen


def test_reader_sees_their_own_spam_until_a_moderator_turns_it_down():
    from django.utils import timezone

    article = ArticleFactory()
    mine = CommentFactory(article=article, status=Comment.Status.SPAM)
    turned_down = CommentFactory(
        article=article, status=Comment.Status.SPAM, status_changed_at=timezone.now()
    )
    removed = CommentFactory(article=article, status=Comment.Status.REMOVED)
    someone_elses = CommentFactory(article=article, status=Comment.Status.SPAM)

    seen = set(Comment.objects.for_reader([mine.pk, turned_down.pk, removed.pk], article=article))

    assert seen == {mine}
    assert someone_elses not in set(Comment.objects.for_reader([], article=article))
