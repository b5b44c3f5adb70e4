"""The moderation queue stays quick with a million comments: counts that are exact up to
10,000 and estimated above, no count of the whole table, and indexes for what it reads."""

import json

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from comments.admin import shown_count
from comments.models import Comment
from newsroom import db
from newsroom.db import RowCount, count_rows
from tests.factories import ArticleFactory, CommentFactory

QUEUE = "/admin/comments/comment/"


def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner statistics and plans")


def test_a_count_is_said_exactly_or_as_about_two_figures():
    assert shown_count(RowCount(1234)) == "1,234"
    assert shown_count(1234) == "1,234"
    assert shown_count(RowCount.estimate(48_374)) == "about 48,000"
    assert shown_count(RowCount.estimate(1_004_611)) == "about 1,000,000"


@pytest.mark.django_db
def test_counts_up_to_the_limit_are_exact(monkeypatch):
    monkeypatch.setattr(db, "EXACT_COUNT_LIMIT", 5)
    article = ArticleFactory()
    CommentFactory.create_batch(5, article=article, status=Comment.Status.PENDING)
    CommentFactory.create_batch(2, article=article)

    counts = Comment.objects.status_counts()

    assert counts[Comment.Status.PENDING] == 5 and not counts[Comment.Status.PENDING].estimated
    assert counts[Comment.Status.APPROVED] == 2
    assert counts[Comment.Status.SPAM] == 0


@pytest.mark.django_db
def test_status_counts_take_one_query_while_exact(django_assert_num_queries):
    CommentFactory.create_batch(3)

    with django_assert_num_queries(1):
        Comment.objects.status_counts()


@pytest.mark.django_db
def test_above_the_limit_sqlite_counts_exactly(monkeypatch):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite keeps no statistics to estimate from")
    monkeypatch.setattr(db, "EXACT_COUNT_LIMIT", 5)
    CommentFactory.create_batch(8, article=ArticleFactory(), status=Comment.Status.PENDING)

    count = count_rows(Comment.objects.pending())

    assert count == 8 and not count.estimated


def _insert_comments(total):
    """`total` comments of a realistic length in the shares of a busy site (80% approved,
    12% spam, 5% pending, 3% removed), over 5 articles, written by PostgreSQL itself; then
    VACUUM ANALYZE as autovacuum would (statistics for the planner, the visibility map for
    index-only scans).
    """
    articles = [ArticleFactory(authors=[]).pk for _ in range(5)]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO comments_comment (
                article_id, author_name, author_email, author_url, body, body_html, status,
                moderation_reason, submitted_at, ip_address, user_agent, by_staff
            )
            SELECT
                (%s::int[])[1 + n %% 5], 'Reader ' || n, 'r' || n || '@readers.example', '',
                repeat('Words as readers write them. ', 15),
                '<p>' || repeat('Words as readers write them. ', 15) || '</p>',
                CASE WHEN n %% 100 < 80 THEN 'approved' WHEN n %% 100 < 92 THEN 'spam'
                     WHEN n %% 100 < 97 THEN 'pending' ELSE 'removed' END,
                '', now() - n * interval '1 minute', '198.51.100.7', 'test', false
            FROM generate_series(1, %s) AS n
            """,
            [articles, total],
        )
        cursor.execute("VACUUM ANALYZE comments_comment")


@pytest.mark.django_db(transaction=True)
def test_above_the_limit_postgresql_estimates_from_its_statistics(monkeypatch):
    on_postgresql()
    _insert_comments(20_000)
    monkeypatch.setattr(db, "EXACT_COUNT_LIMIT", 500)

    counts = Comment.objects.status_counts()

    pending = counts[Comment.Status.PENDING]
    assert pending.estimated
    # 1,000 pending: the estimate comes from sampled statistics, within a few per cent.
    assert 900 <= pending <= 1_100


def _queue_queries_scanning_comments(client):
    """The queries of the queue's first page (pending, with its counts and filters) whose
    plan reads the comments table sequentially, and how many were looked at."""
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    looked_at, scanning = 0, []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            sql = query["sql"]
            if "comments_comment" not in sql or not sql.startswith("SELECT"):
                continue
            looked_at += 1
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            if _seq_scans_comments(json.loads(plan) if isinstance(plan, str) else plan):
                scanning.append(sql[:120])
    return response, looked_at, scanning


def _seq_scans_comments(plan):
    def nodes(node):
        yield node
        for child in node.get("Plans", ()):
            yield from nodes(child)

    return any(
        node["Node Type"] == "Seq Scan" and node.get("Relation Name") == "comments_comment"
        for root in plan
        for node in nodes(root["Plan"])
    )


@pytest.fixture
def queue_of_60000(client):
    """60,000 comments with fresh statistics, and a moderator looking at the queue."""
    on_postgresql()
    _insert_comments(60_000)
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("scale-moderator"))
    return client


@pytest.mark.django_db(transaction=True)
def test_the_queues_first_page_reads_the_comments_through_indexes_only(queue_of_60000):
    response, looked_at, scanning = _queue_queries_scanning_comments(queue_of_60000)

    # 3,000 pending are counted; 48,000 approved are estimated.
    assert "Pending (3,000)" in response.text
    assert "Approved (about " in response.text
    assert looked_at >= 4  # the status counts, the busiest articles, the count, the page
    assert scanning == []


@pytest.mark.django_db(transaction=True)
def test_without_the_queues_indexes_the_same_check_finds_sequential_scans(queue_of_60000):
    """The check above can fail: with the indexes on status dropped (in a transaction
    rolled back after), the counts and the busiest articles read the whole table."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX comment_pending_by_article")
            for name in _status_index_names(cursor):
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("ANALYZE comments_comment")
        _, _, scanning = _queue_queries_scanning_comments(queue_of_60000)
        transaction.set_rollback(True)

    assert len(scanning) >= 2


def _status_index_names(cursor):
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'comments_comment' "
        "AND (indexdef LIKE '%%(status%%' OR indexdef LIKE '%%, status%%')"
    )
    return [name for (name,) in cursor.fetchall()]
