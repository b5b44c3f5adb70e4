"""The moderation queue row by row: what each shows, and its one-click buttons."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentStatusChange, Sanction
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    PendingCommentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")


def moderate_url(comment, transition):
    return reverse("admin:comments_comment_moderate", args=[comment.pk, transition])


def row_buttons(text, comment):
    """The labels of the row buttons posting about `comment`, in order."""
    found = []
    for transition in ("approve", "spam", "remove", "restore"):
        if f'formaction="{moderate_url(comment, transition)}"' in text:
            found.append(transition)
    return found


def test_queue_title_counts_the_comments_awaiting_moderation(moderator_client):
    PendingCommentFactory.create_batch(2)
    CommentFactory()

    response = moderator_client.get(QUEUE)

    assert "<h1>Comments awaiting moderation (2)</h1>" in response.text
    assert "Select comment to change" not in response.text


@pytest.mark.parametrize(
    "status, title",
    [("spam", "Spam (1)"), ("approved", "Approved comments (1)"), ("all", "All comments (3)")],
)
def test_queue_title_names_the_other_filters(moderator_client, status, title):
    PendingCommentFactory()
    CommentFactory()
    CommentFactory(status=Comment.Status.SPAM)

    response = moderator_client.get(QUEUE, {"status": status})

    assert f"<h1>{title}</h1>" in response.text


def test_long_comment_is_folded_with_its_opening_in_view(moderator_client):
    long_text = " ".join(f"word{n}" for n in range(200))
    PendingCommentFactory(body=long_text)

    text = moderator_client.get(QUEUE).text

    assert '<details class="queue-folded">' in text
    assert "<summary>word0 word1" in text
    assert "word199" in text  # the whole comment, once unfolded


def test_short_comment_is_not_folded(moderator_client):
    PendingCommentFactory(body="Short and sweet.")

    assert "queue-folded" not in moderator_client.get(QUEUE).text


def test_reply_says_whom_it_answers_with_a_link(moderator_client):
    parent = CommentFactory(author_name="Ana Parent")
    PendingCommentFactory(article=parent.article, parent=parent)

    text = moderator_client.get(QUEUE).text

    parent_page = reverse("admin:comments_comment_change", args=[parent.pk])
    assert f'In reply to <a href="{parent_page}">Ana Parent</a>' in text


def test_row_links_the_article_and_shows_status_and_why(moderator_client):
    comment = PendingCommentFactory(moderation_reason="Contains 3 links.")

    text = moderator_client.get(QUEUE).text

    assert f'href="{comment.article.get_absolute_url()}"' in text
    assert '<strong class="queue-status queue-status-pending">Pending</strong>' in text
    assert "Contains 3 links." in text


def test_staff_without_personal_data_permission_see_no_email_or_ip(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_comment"),
        Permission.objects.get(codename="moderate_comment"),
    )
    client.force_login(viewer)
    PendingCommentFactory(author_email="private@readers.example", ip_address="198.51.100.4")

    text = client.get(QUEUE).text

    assert "private@readers.example" not in text
    assert "198.51.100.4" not in text


def test_staff_who_may_not_moderate_get_no_row_buttons(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)
    comment = PendingCommentFactory()

    text = client.get(QUEUE).text

    assert row_buttons(text, comment) == []
    assert reverse("admin:comments_comment_change", args=[comment.pk]) in text  # Edit


@pytest.mark.parametrize(
    "status, offered",
    [
        (Comment.Status.PENDING, ["approve", "spam", "remove"]),
        (Comment.Status.APPROVED, ["spam", "remove"]),
        (Comment.Status.SPAM, ["approve", "remove", "restore"]),
        (Comment.Status.REMOVED, ["restore"]),
    ],
)
def test_each_row_offers_the_moves_that_make_sense_for_its_status(
    moderator_client, status, offered
):
    comment = CommentFactory(status=status)

    text = moderator_client.get(QUEUE, {"status": "all"}).text

    assert row_buttons(text, comment) == offered


def test_row_has_reply_and_edit_links(moderator_client):
    comment = PendingCommentFactory(author_name="Ana")

    text = moderator_client.get(QUEUE).text

    page = reverse("admin:comments_comment_change", args=[comment.pk])
    assert f'href="{page}#reply-heading" aria-label="Reply to Ana">Reply</a>' in text
    assert f'href="{page}" aria-label="Edit the comment by Ana">Edit</a>' in text


def test_row_buttons_carry_the_queue_filters_to_return_to(moderator_client):
    comment = PendingCommentFactory()

    text = moderator_client.get(QUEUE, {"article": comment.article_id, "o": "2"}).text

    assert f'name="_changelist_filters" value="article={comment.article_id}&amp;o=2"' in text


def test_approving_from_a_row_returns_to_the_filtered_queue_with_a_message(
    moderator_client, moderator
):
    comment = PendingCommentFactory(author_name="Ana")
    filters = f"article={comment.article_id}&p=1"

    response = moderator_client.post(
        moderate_url(comment, "approve"), {"_changelist_filters": filters}
    )

    assert response.status_code == 302
    assert response.url == f"{QUEUE}?{filters}"
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    audit = CommentStatusChange.objects.get(comment=comment)
    assert (audit.from_status, audit.to_status, audit.changed_by) == (
        Comment.Status.PENDING,
        Comment.Status.APPROVED,
        moderator,
    )
    assert LogEntry.objects.filter(object_id=str(comment.pk), user=moderator).exists()
    page = moderator_client.get(response.url).text
    assert "Comment by Ana approved." in page


@pytest.mark.parametrize(
    "transition, status, said",
    [
        ("spam", Comment.Status.SPAM, "Comment by Ana marked as spam."),
        ("remove", Comment.Status.REMOVED, "Comment by Ana removed."),
    ],
)
def test_other_row_buttons_move_the_comment_and_say_so(moderator_client, transition, status, said):
    comment = PendingCommentFactory(author_name="Ana")

    response = moderator_client.post(
        moderate_url(comment, transition), {"_changelist_filters": ""}, follow=True
    )

    comment.refresh_from_db()
    assert comment.status == status
    assert said in response.text
    assert response.redirect_chain[-1][0] == QUEUE


def test_restoring_from_a_row_puts_the_comment_back_in_the_queue(moderator_client):
    comment = CommentFactory(status=Comment.Status.SPAM, author_name="Ana")

    response = moderator_client.post(
        moderate_url(comment, "restore"), {"_changelist_filters": "status=spam"}, follow=True
    )

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "Comment by Ana restored to pending." in response.text


def test_row_button_cannot_send_the_moderator_off_site(moderator_client):
    comment = PendingCommentFactory()

    response = moderator_client.post(
        moderate_url(comment, "approve"), {"_changelist_filters": "//evil.example/?x=1"}
    )

    assert response.url.startswith(f"{QUEUE}?")
    assert "evil.example" not in response.url.split("?")[0]


def test_row_button_is_refused_to_staff_who_may_not_moderate(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)
    comment = PendingCommentFactory()

    response = client.post(moderate_url(comment, "approve"), {"_changelist_filters": ""})

    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_queue_of_100_replies_costs_a_fixed_number_of_queries(
    moderator_client, django_assert_num_queries
):
    articles = ArticleFactory.create_batch(3)
    parents = [CommentFactory(article=article) for article in articles]
    Comment.objects.bulk_create(
        PendingCommentFactory.build(
            article=parents[n % 3].article,
            parent=parents[n % 3],
            body_html=f"<p>Reply {n}</p>",
            moderation_reason=f"Reason {n}",
        )
        for n in range(100)
    )
    moderator_client.get(QUEUE)  # warm the session and content-type caches

    # Session and user, permissions (2), pending count for the header, the status
    # counts, the busiest articles, the reported comments' count, the page's count, the
    # full count, and the page itself with its articles and parents joined.
    with django_assert_num_queries(11):
        # "Show all": the 100 replies and their 3 parents on one page.
        response = moderator_client.get(QUEUE, {"status": "all", "all": ""})

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 103
    assert response.text.count("In reply to <a") == 100


# --- after a move on a comment's own page ------------------------------------------


def test_approving_on_a_comment_page_goes_to_the_oldest_other_pending_comment(
    moderator_client,
):
    now = timezone.now()
    current = PendingCommentFactory(submitted_at=now - timedelta(hours=5))
    oldest = PendingCommentFactory(submitted_at=now - timedelta(hours=4))
    PendingCommentFactory(submitted_at=now - timedelta(hours=1))

    response = moderator_client.post(moderate_url(current, "approve"))

    assert response.url == reverse("admin:comments_comment_change", args=[oldest.pk])
    page = moderator_client.get(response.url).text
    assert "Approved. Next comment awaiting moderation:" in page


def test_marking_spam_on_a_comment_page_says_so_before_the_next(moderator_client):
    current = PendingCommentFactory()
    PendingCommentFactory()

    response = moderator_client.post(moderate_url(current, "spam"), follow=True)

    assert "Marked as spam. Next comment awaiting moderation:" in response.text


def test_last_pending_comment_leads_back_to_the_empty_queue(moderator_client):
    current = PendingCommentFactory()
    CommentFactory()  # approved: not waiting

    response = moderator_client.post(moderate_url(current, "approve"), follow=True)

    assert response.redirect_chain[-1][0] == QUEUE
    assert "Approved. No more comments awaiting moderation." in response.text
    assert "Comments awaiting moderation (0)" in response.text


def test_restoring_on_a_comment_page_moves_on_without_coming_back_to_it(moderator_client):
    current = CommentFactory(status=Comment.Status.REMOVED)

    response = moderator_client.post(moderate_url(current, "restore"), follow=True)

    current.refresh_from_db()
    assert current.status == Comment.Status.PENDING
    assert "Restored to pending. No more comments awaiting moderation." in response.text


def test_status_links_above_the_queue_mark_the_one_shown(moderator_client):
    PendingCommentFactory()
    CommentFactory(status=Comment.Status.SPAM)

    text = moderator_client.get(QUEUE, {"status": "spam"}).text

    tabs = text[text.index('<nav class="queue-status-tabs"') :]
    tabs = tabs[: tabs.index("</nav>")]
    assert 'href="?status=pending">Pending (1)</a>' in tabs
    assert 'href="?status=spam" aria-current="page">Spam (1)</a>' in tabs
    assert "All (2)" in tabs


def test_banning_from_a_row_sends_the_commenters_pending_comments_to_spam(moderator_client):
    comment = PendingCommentFactory(author_name="Bo", author_email="bo@spam.example")
    another = PendingCommentFactory(author_email="BO@spam.example")
    bystander = PendingCommentFactory(author_email="ana@readers.example")
    ban_url = reverse("admin:comments_comment_ban", args=[comment.pk])
    filters = f"article={comment.article_id}"

    page = moderator_client.get(QUEUE).text
    assert f'formaction="{ban_url}"' in page
    assert 'aria-label="Ban the address of Bo, and send their pending comments to spam"' in page

    response = moderator_client.post(ban_url, {"_changelist_filters": filters})

    assert response.status_code == 302
    assert response.url == f"{QUEUE}?{filters}"
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses[comment.pk] == statuses[another.pk] == Comment.Status.SPAM
    assert statuses[bystander.pk] == Comment.Status.PENDING
    assert Sanction.objects.in_force().filter(value="bo@spam.example").exists()
