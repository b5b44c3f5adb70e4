"""Banning from the queue and the sanctions admin, as moderators use them."""

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentStatusChange, Sanction
from tests.factories import CommentFactory, PendingCommentFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
SANCTIONS = reverse("admin:comments_sanction_changelist")


def ban_url(comment):
    return reverse("admin:comments_comment_ban", args=[comment.pk])


def test_ban_this_address_bans_the_email_and_sends_its_pending_comments_to_spam(
    moderator_client, moderator
):
    clicked = PendingCommentFactory(author_email="Spammer@Spam.example")
    more = PendingCommentFactory.create_batch(2, author_email="spammer@spam.example")
    approved = CommentFactory(author_email="spammer@spam.example")
    someone_else = PendingCommentFactory()

    response = moderator_client.post(ban_url(clicked), follow=True)

    ban = Sanction.objects.get()
    assert (ban.kind, ban.target_type, ban.value) == ("ban", "email", "spammer@spam.example")
    assert ban.created_by == moderator
    assert set(Comment.objects.spam()) == {clicked, *more}
    approved.refresh_from_db()
    someone_else.refresh_from_db()
    assert approved.status == Comment.Status.APPROVED
    assert someone_else.status == Comment.Status.PENDING
    notes = CommentStatusChange.objects.filter(changed_by=moderator).values_list("note", flat=True)
    assert set(notes) == {"Address banned: Banned from the moderation queue."}
    assert "1 address banned; 3 pending comments moved to spam." in response.content.decode()


def test_ban_this_address_goes_back_to_the_queue_row_it_came_from(moderator_client):
    comment = PendingCommentFactory()

    response = moderator_client.post(ban_url(comment), {"next": f"{QUEUE}?status=pending"})

    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?status=pending"


def test_ban_this_address_never_sends_a_moderator_to_another_site(moderator_client):
    comment = PendingCommentFactory()

    response = moderator_client.post(ban_url(comment), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("admin:comments_comment_change", args=[comment.pk])


def test_ban_this_address_takes_the_same_queries_for_3_or_30_pending_comments(
    moderator_client,
):
    def queries_to_ban(count, email):
        comments = PendingCommentFactory.create_batch(count, author_email=email)
        with CaptureQueriesContext(connection) as queries:
            response = moderator_client.post(ban_url(comments[0]))
        assert response.status_code == 302
        assert Comment.objects.by_emails([email]).spam().count() == count
        return len(queries)

    ContentType.objects.get_for_model(Comment)
    assert queries_to_ban(3, "few@spam.example") == queries_to_ban(30, "many@spam.example")


def test_ban_this_address_is_a_post_only_action(moderator_client):
    comment = PendingCommentFactory()

    response = moderator_client.get(ban_url(comment))

    assert response.status_code == 405
    assert not Sanction.objects.exists()


def test_editors_cannot_ban(editor_client):
    comment = PendingCommentFactory()

    response = editor_client.post(ban_url(comment))

    assert response.status_code == 403
    assert not Sanction.objects.exists()


def test_a_comment_without_email_has_nothing_to_ban(moderator_client):
    comment = PendingCommentFactory(author_email="")

    response = moderator_client.post(ban_url(comment), follow=True)

    assert "no email address to ban" in response.content.decode()
    assert not Sanction.objects.exists()


def test_the_comments_page_has_a_ban_this_address_button(moderator_client):
    comment = PendingCommentFactory(author_email="someone@readers.example")

    page = moderator_client.get(reverse("admin:comments_comment_change", args=[comment.pk]))

    content = page.content.decode()
    assert f'action="{ban_url(comment)}"' in content
    assert 'value="Ban this address"' in content


def test_bulk_ban_bans_every_selected_address_once_with_fixed_queries(moderator_client):
    def ban_all(emails):
        chosen = [PendingCommentFactory(author_email=email) for email in emails]
        chosen.append(PendingCommentFactory(author_email=emails[0].upper()))
        with CaptureQueriesContext(connection) as queries:
            moderator_client.post(
                f"{QUEUE}?status=all",
                {"action": "ban_commenters", ACTION_CHECKBOX_NAME: [c.pk for c in chosen]},
            )
        return len(queries)

    ContentType.objects.get_for_model(Comment)
    few = ban_all([f"a{n}@spam.example" for n in range(2)])
    many = ban_all([f"b{n}@spam.example" for n in range(20)])

    assert few == many
    assert Sanction.objects.count() == 22
    assert not Comment.objects.pending().exists()


def test_bulk_ban_keeps_an_existing_ban_as_it_is(moderator_client):
    existing = Sanction.objects.create(
        kind="ban", target_type="email", value="a@spam.example", reason="Earlier."
    )
    comment = PendingCommentFactory(author_email="a@spam.example")

    moderator_client.post(
        f"{QUEUE}?status=all", {"action": "ban_commenters", ACTION_CHECKBOX_NAME: [comment.pk]}
    )

    assert list(Sanction.objects.all()) == [existing]
    comment.refresh_from_db()
    assert comment.status == Comment.Status.SPAM


def test_a_moderator_adds_a_network_ban_stored_normalised_and_logged(moderator_client, moderator):
    response = moderator_client.post(
        reverse("admin:comments_sanction_add"),
        {
            "kind": "ban",
            "target_type": "network",
            "value": "203.0.113.77/24",
            "reason": "A bot farm.",
            "expires_at_0": "",
            "expires_at_1": "",
        },
    )

    assert response.status_code == 302
    ban = Sanction.objects.get()
    assert ban.value == "203.0.113.0/24"
    assert ban.created_by == moderator
    entry = LogEntry.objects.get(object_id=str(ban.pk))
    assert (entry.user, entry.action_flag) == (moderator, ADDITION)


def test_a_bad_network_is_refused_with_the_reason(moderator_client):
    response = moderator_client.post(
        reverse("admin:comments_sanction_add"),
        {"kind": "ban", "target_type": "network", "value": "203.0.113.0/40", "reason": "x"},
    )

    assert response.status_code == 200
    assert "Enter a network in CIDR form" in response.content.decode()
    assert not Sanction.objects.exists()


def test_ending_sanctions_from_the_list_sets_their_expiry_and_logs_it(moderator_client):
    ban = Sanction.objects.create(kind="ban", target_type="ip", value="203.0.113.9", reason="x")

    moderator_client.post(SANCTIONS, {"action": "end_now", ACTION_CHECKBOX_NAME: [ban.pk]})

    ban.refresh_from_db()
    assert ban.expires_at is not None and ban.expires_at <= timezone.now()
    assert not ban.in_force
    assert LogEntry.objects.filter(object_id=str(ban.pk), action_flag=CHANGE).exists()


def test_the_sanctions_list_finds_by_value_and_filters_what_is_in_force(moderator_client):
    Sanction.objects.create(kind="ban", target_type="email", value="a@spam.example", reason="x")
    Sanction.objects.create(
        kind="trust",
        target_type="domain",
        value="council.example",
        reason="Council staff.",
        expires_at=timezone.now(),
    )

    found = moderator_client.get(SANCTIONS, {"q": "spam.example"}).content.decode()
    in_force = moderator_client.get(SANCTIONS, {"in_force": "yes"}).content.decode()

    assert "a@spam.example" in found and "council.example" not in found
    assert "a@spam.example" in in_force and "council.example" not in in_force


def test_sanctions_are_never_deleted_only_ended(moderator_client):
    ban = Sanction.objects.create(kind="ban", target_type="ip", value="203.0.113.9", reason="x")

    response = moderator_client.post(
        reverse("admin:comments_sanction_delete", args=[ban.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert Sanction.objects.filter(pk=ban.pk).exists()


def test_editors_never_see_sanctions(editor_client):
    assert editor_client.get(SANCTIONS).status_code == 403


def test_a_commenters_data_export_lists_the_sanctions_on_their_address(capsys):
    Sanction.objects.create(
        kind="hold", target_type="email", value="maria@readers.example", reason="Attacks."
    )
    Sanction.objects.create(kind="ban", target_type="email", value="other@x.example", reason="x")

    call_command("personal_data", "export", "Maria@Readers.example")

    data = json.loads(capsys.readouterr().out)
    assert [(s["sanction"], s["email"], s["reason"]) for s in data["sanctions"]] == [
        ("Always hold for moderation", "maria@readers.example", "Attacks.")
    ]
