"""Erasing a commenter's personal data also takes their name out of the admin history."""

from io import StringIO

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import call_command
from django.db.models import Q

from tests.factories import ArticleFactory, PendingCommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alices_comment(moderator):
    article = ArticleFactory(title="A hundred years of bread")
    comment = PendingCommentFactory(
        article=article, author_name="Alice Victim", author_email="alice@readers.example"
    )
    comment.approve(by=moderator)
    # What a moderator may write by hand, and what the admin's change form writes.
    LogEntry.objects.log_actions(
        moderator.pk, [comment], CHANGE, "Asked Alice Victim to rephrase; alice victim agreed."
    )
    LogEntry.objects.log_actions(
        moderator.pk, [comment], CHANGE, [{"changed": {"fields": ["Name"]}}]
    )
    return comment


def entries_naming(name):
    return LogEntry.objects.filter(
        Q(object_repr__icontains=name) | Q(change_message__icontains=name)
    )


def test_erase_command_leaves_no_admin_history_entry_with_the_name(alices_comment):
    assert entries_naming("Alice Victim").count() == 3

    call_command("personal_data", "erase", "alice@readers.example", stdout=StringIO())

    assert not entries_naming("Alice").exists()
    entries = LogEntry.objects.filter(object_id=str(alices_comment.pk))
    assert entries.count() == 3
    assert {e.object_repr for e in entries} == {"Anonymous on A hundred years of bread"}
    assert {e.get_change_message() for e in entries} == {
        "Marked Approved.",
        "Asked Anonymous to rephrase; Anonymous agreed.",
        "Changed Name.",
    }


def test_erase_from_the_admin_leaves_no_entry_with_the_name(alices_comment, moderator):
    from comments.models import Comment

    Comment.objects.filter(pk=alices_comment.pk).erase_personal_data(by=moderator)

    assert not entries_naming("Alice").exists()
    assert LogEntry.objects.filter(change_message="Personal data erased.").exists()


def test_erase_leaves_other_commenters_history_alone(alices_comment, moderator):
    other = PendingCommentFactory(author_name="Bob Bystander", author_email="bob@readers.example")
    other.approve(by=moderator)

    call_command("personal_data", "erase", "alice@readers.example", stdout=StringIO())

    assert entries_naming("Bob Bystander").count() == 1
