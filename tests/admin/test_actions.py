import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment, CommentStatusChange, SpamToken
from comments.spam_filter import MESSAGES
from tests.factories import ArticleFactory, CommentFactory, PendingCommentFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")

ACTIONS = [
    ("approve", Comment.Status.PENDING, Comment.Status.APPROVED, "approved"),
    ("mark_spam", Comment.Status.PENDING, Comment.Status.SPAM, "marked as spam"),
    ("remove", Comment.Status.APPROVED, Comment.Status.REMOVED, "removed"),
    ("restore", Comment.Status.SPAM, Comment.Status.PENDING, "restored to pending"),
]


def run_action(client, action, comments, query="status=all"):
    return client.post(
        f"{QUEUE}?{query}",
        {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in comments]},
        follow=True,
    )


@pytest.mark.parametrize("action, from_status, to_status, done", ACTIONS)
def test_bulk_action_changes_the_selected_comments(
    moderator_client, action, from_status, to_status, done
):
    chosen = CommentFactory.create_batch(2, status=from_status)
    other = CommentFactory(status=from_status)

    run_action(moderator_client, action, chosen)

    assert set(Comment.objects.filter(status=to_status)) == set(chosen)
    other.refresh_from_db()
    assert other.status == from_status


@pytest.mark.parametrize("action, from_status, to_status, done", ACTIONS)
def test_bulk_action_writes_an_audit_row_per_comment(
    moderator_client, moderator, action, from_status, to_status, done
):
    chosen = CommentFactory.create_batch(2, status=from_status)

    run_action(moderator_client, action, chosen)

    rows = CommentStatusChange.objects.filter(comment__in=chosen)
    assert rows.count() == 2
    assert {(r.changed_by, r.from_status, r.to_status) for r in rows} == {
        (moderator, from_status, to_status)
    }
    assert all(
        c.status_changed_at is not None
        for c in Comment.objects.filter(pk__in=rows.values("comment"))
    )


@pytest.mark.parametrize("action, from_status, to_status, done", ACTIONS)
def test_bulk_action_is_in_the_admin_history(
    moderator_client, moderator, action, from_status, to_status, done
):
    chosen = CommentFactory.create_batch(2, status=from_status)

    run_action(moderator_client, action, chosen)

    entries = LogEntry.objects.filter(user=moderator)
    assert sorted(int(e.object_id) for e in entries) == sorted(c.pk for c in chosen)
    assert {e.object_repr for e in entries} == {str(c) for c in chosen}
    assert {e.get_change_message() for e in entries} == {
        f"Marked {Comment.Status(to_status).label}."
    }


@pytest.mark.parametrize("action, from_status, to_status, done", ACTIONS)
def test_bulk_action_says_what_it_did(moderator_client, action, from_status, to_status, done):
    chosen = CommentFactory.create_batch(2, status=from_status)

    response = run_action(moderator_client, action, chosen)

    assert f"2 comments {done}." in response.text


def test_one_comment_approved_is_singular(moderator_client):
    response = run_action(moderator_client, "approve", [PendingCommentFactory()])

    assert "1 comment approved." in response.text


def test_comments_already_in_that_status_are_left_alone(moderator_client):
    approved = CommentFactory()

    response = run_action(moderator_client, "approve", [approved])

    assert "No comments changed" in response.text
    assert not CommentStatusChange.objects.exists()


def _bulk_pending(article, count):
    Comment.objects.bulk_create(
        Comment(
            article=article,
            author_name=f"Reader {n}",
            author_email=f"reader{n}@readers.example",
            body="Same here.",
            body_html="<p>Same here.</p>",
        )
        for n in range(count)
    )


def select_all(action):
    """What the queue posts after "Select all N comments": the page's boxes plus the flag."""
    first_page = Comment.objects.pending().order_by("-submitted_at").values_list("pk", flat=True)
    return {
        "action": action,
        "index": "0",
        "select_across": "1",
        ACTION_CHECKBOX_NAME: list(first_page[:50]),
    }


def _approve_all_pending(client):
    """The queue's "select all N comments" then Approve: the action gets the queryset."""
    data = select_all("approve")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"{QUEUE}?status=pending", data)
    assert response.status_code == 302
    return len(queries)


def test_approving_10000_comments_runs_in_a_fixed_number_of_queries(moderator_client):
    article = ArticleFactory()
    _bulk_pending(article, 10)
    ContentType.objects.get_for_model(Comment)  # cached for the life of the process
    few = _approve_all_pending(moderator_client)

    _bulk_pending(article, 10_000)
    many = _approve_all_pending(moderator_client)

    assert many == few
    assert Comment.objects.pending().count() == 0
    assert CommentStatusChange.objects.count() == 10_010
    assert LogEntry.objects.count() == 10_010


def test_approving_10000_comments_pins_the_query_count(
    moderator_client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    _bulk_pending(ArticleFactory(), 10_000)
    ContentType.objects.get_for_model(Comment)  # cached for the life of the process
    data = select_all("approve")

    # Session, user, 2 permission lookups (4); the changelist's own count (none of the
    # whole table: show_full_result_count is off) and its filter lookups (the busiest
    # articles, then their titles; the status counts only when the page is shown, which
    # a redirect is not), built twice: for the page and for the action's queryset (5);
    # then the action: savepoint, audit INSERT ... SELECT, UPDATE, LogEntry INSERT ...
    # SELECT, release (5; PostgreSQL adds one to lock the rows); the "Reported" filter's
    # count, twice (2); the reports resolved, one UPDATE (1). The spam filter learns the
    # batch in a task once the change has committed: none of its queries are here.
    row_lock = 1 if connection.features.has_select_for_update else 0
    with (
        django_capture_on_commit_callbacks() as after_commit,
        django_assert_num_queries(17 + row_lock),
    ):
        moderator_client.post(f"{QUEUE}?status=pending", data)
    assert Comment.objects.approved().count() == 10_000
    assert not SpamToken.objects.exists()

    for callback in after_commit:  # what the consumer runs (the suite's queue is inline)
        callback()

    assert SpamToken.objects.values_list("spam", "ham").get(token=MESSAGES) == (0, 10_000)


def test_approving_more_comments_than_the_queue_counts_exactly_costs_the_same_queries(
    moderator_client, monkeypatch
):
    # Above the limit a status's count is an estimate, one query more a status (the
    # bench's bulk approve: 24 queries for 500 comments with 10,500 waiting, 22 for
    # 10,000); the action shows no count, so it asks for none.
    monkeypatch.setattr("newsroom.db.EXACT_COUNT_LIMIT", 20)
    article = ArticleFactory()
    _bulk_pending(article, 10)
    ContentType.objects.get_for_model(Comment)  # cached for the life of the process
    few = _approve_all_pending(moderator_client)

    _bulk_pending(article, 50)
    many = _approve_all_pending(moderator_client)

    assert many == few
    assert Comment.objects.pending().count() == 0


def test_the_queue_still_shows_each_statuss_count_after_a_bulk_approve(moderator_client):
    _bulk_pending(ArticleFactory(), 3)
    CommentFactory.create_batch(2)

    response = moderator_client.post(f"{QUEUE}?status=pending", select_all("approve"), follow=True)

    assert "3 comments approved." in response.text
    assert "Pending (0)" in response.text
    assert "Approved (5)" in response.text
    assert "All (5)" in response.text


def test_approving_10000_comments_reports_the_count_with_a_thousands_separator(
    moderator_client,
):
    _bulk_pending(ArticleFactory(), 10_000)

    response = moderator_client.post(
        f"{QUEUE}?status=pending",
        select_all("approve"),
        follow=True,
    )

    assert "10,000 comments approved." in response.text


def test_two_changes_at_the_same_instant_each_log_only_their_own_comments(moderator, monkeypatch):
    first, second = PendingCommentFactory.create_batch(2)
    instant = first.submitted_at
    monkeypatch.setattr("django.utils.timezone.now", lambda: instant)

    first.approve(by=moderator)
    second.approve(by=moderator)

    assert LogEntry.objects.count() == 2
    assert CommentStatusChange.objects.count() == 2
