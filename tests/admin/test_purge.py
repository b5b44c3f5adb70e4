from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment
from tests.factories import CommentFactory, PendingCommentFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def moderated(status, days):
    return CommentFactory(status=status, status_changed_at=days_ago(days))


def purge(*args):
    from io import StringIO

    out = StringIO()
    call_command("purge_comments", *args, stdout=out)
    return out.getvalue()


def test_spam_and_removed_comments_older_than_30_days_are_purged():
    old_spam = moderated(Comment.Status.SPAM, 31)
    old_removed = moderated(Comment.Status.REMOVED, 45)

    output = purge()

    assert "2 comment(s) purged" in output
    assert not Comment.objects.filter(pk__in=[old_spam.pk, old_removed.pk]).exists()


def test_recent_spam_and_other_statuses_are_kept():
    kept = [
        moderated(Comment.Status.SPAM, 29),
        moderated(Comment.Status.APPROVED, 400),
        PendingCommentFactory(submitted_at=days_ago(400)),
    ]

    purge()

    assert Comment.objects.filter(pk__in=[c.pk for c in kept]).count() == 3


def test_age_counts_from_submission_when_never_moderated_here():
    imported_spam = CommentFactory(status=Comment.Status.SPAM, submitted_at=days_ago(60))

    purge()

    assert not Comment.objects.filter(pk=imported_spam.pk).exists()


def test_dry_run_deletes_nothing():
    moderated(Comment.Status.SPAM, 31)

    output = purge("--dry-run")

    assert "1 comment(s) would be purged" in output
    assert Comment.objects.count() == 1


def test_days_option_changes_the_cutoff():
    spam = moderated(Comment.Status.SPAM, 8)

    purge("--days", "7")

    assert not Comment.objects.filter(pk=spam.pk).exists()


def test_replies_to_a_purged_comment_stay_in_the_thread():
    root = CommentFactory()
    removed = moderated(Comment.Status.REMOVED, 40)
    removed.article, removed.parent = root.article, root
    removed.save()
    reply = CommentFactory(article=root.article, parent=removed)

    purge()

    reply.refresh_from_db()
    assert reply.parent == root
