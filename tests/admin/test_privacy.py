import json
from io import StringIO

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from comments.models import ERASED_TEXT, Comment, CommentStatusChange
from tests.factories import PendingCommentFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")


@pytest.fixture
def jos_comments():
    return [
        PendingCommentFactory(
            author_name="Jo",
            author_email="jo@readers.example",
            author_url="https://jo.example",
            ip_address="198.51.100.5",
            body="First thought.",
        ),
        PendingCommentFactory(
            author_name="Jo B",
            author_email="JO@readers.example",
            status=Comment.Status.APPROVED,
            body="Second thought.",
        ),
    ]


def command(*args):
    out = StringIO()
    call_command("personal_data", *args, stdout=out)
    return out.getvalue()


def test_export_lists_every_comment_by_the_email(jos_comments):
    PendingCommentFactory(author_email="someone@else.example")

    data = json.loads(command("export", "jo@readers.example"))

    assert [c["text"] for c in data["comments"]] == ["First thought.", "Second thought."]
    first = data["comments"][0]
    assert first["name"] == "Jo"
    assert first["email"] == "jo@readers.example"
    assert first["website"] == "https://jo.example"
    assert first["ip_address"] == "198.51.100.5"
    assert first["user_agent"].startswith("Mozilla")
    assert first["status"] == "pending"
    assert first["article"] == jos_comments[0].article.title
    assert first["article_url"].endswith(jos_comments[0].article.get_absolute_url())
    assert first["date"]


def test_erase_anonymises_but_keeps_the_text(jos_comments):
    output = command("erase", "jo@readers.example")

    assert "2 comment(s)" in output
    for comment in Comment.objects.all():
        assert comment.author_name == "Anonymous"
        assert (comment.author_email, comment.author_url, comment.user_agent) == ("", "", "")
        assert comment.ip_address is None
    assert Comment.objects.filter(body="First thought.").exists()


def test_erase_with_remove_text_removes_the_text(jos_comments):
    command("erase", "jo@readers.example", "--remove-text")

    assert set(Comment.objects.values_list("body", flat=True)) == {ERASED_TEXT}
    assert "First thought." not in "".join(Comment.objects.values_list("body_html", flat=True))


def test_erase_writes_an_audit_row_per_comment(jos_comments):
    command("erase", "jo@readers.example")

    notes = set(CommentStatusChange.objects.values_list("note", flat=True))
    assert CommentStatusChange.objects.count() == 2
    assert notes == {"Personal data erased."}


def test_erase_leaves_other_commenters_alone(jos_comments):
    other = PendingCommentFactory(author_email="someone@else.example")

    command("erase", "jo@readers.example")

    other.refresh_from_db()
    assert other.author_email == "someone@else.example"


def test_export_action_downloads_json_for_the_selected_commenters(moderator_client, jos_comments):
    response = moderator_client.post(
        f"{QUEUE}?status=all",
        {
            "action": "export_personal_data",
            "index": "0",
            ACTION_CHECKBOX_NAME: [jos_comments[0].pk],
        },
    )

    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert len(data["comments"]) == 2


def test_erase_action_asks_first(moderator_client, jos_comments):
    response = moderator_client.post(
        f"{QUEUE}?status=all",
        {"action": "erase_personal_data", "index": "0", ACTION_CHECKBOX_NAME: [jos_comments[0].pk]},
    )

    assert response.status_code == 200
    assert "jo@readers.example" in response.text
    assert "2 comments will be changed." in response.text
    assert Comment.objects.filter(author_name="Jo").exists()


def test_erase_action_once_confirmed_anonymises_and_logs(moderator_client, moderator, jos_comments):
    response = moderator_client.post(
        f"{QUEUE}?status=all",
        {
            "action": "erase_personal_data",
            ACTION_CHECKBOX_NAME: [jos_comments[0].pk],
            "confirmed": "yes",
            "remove_text": "on",
        },
        follow=True,
    )

    assert "Personal data erased from 2 comments." in response.text
    assert set(Comment.objects.values_list("author_name", flat=True)) == {"Anonymous"}
    assert set(Comment.objects.values_list("body", flat=True)) == {ERASED_TEXT}
    assert LogEntry.objects.filter(user=moderator).count() == 2
