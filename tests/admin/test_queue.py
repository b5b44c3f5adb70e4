from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, PendingCommentFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")


def listed(response):
    return list(response.context["cl"].result_list)


def test_queue_opens_on_pending_comments_newest_first(moderator_client):
    now = timezone.now()
    older = PendingCommentFactory(submitted_at=now - timedelta(hours=2))
    newer = PendingCommentFactory(submitted_at=now - timedelta(hours=1))
    CommentFactory()  # approved: not in the default queue

    response = moderator_client.get(QUEUE)

    assert response.status_code == 200
    assert listed(response) == [newer, older]


def test_status_filter_labels_show_counts(moderator_client):
    PendingCommentFactory.create_batch(3)
    CommentFactory.create_batch(2)
    CommentFactory(status=Comment.Status.SPAM)

    response = moderator_client.get(QUEUE)

    assert "Pending (3)" in response.text
    assert "Approved (2)" in response.text
    assert "Spam (1)" in response.text
    assert "Removed (0)" in response.text
    assert "All (6)" in response.text


def test_all_filter_lists_every_status(moderator_client):
    PendingCommentFactory()
    CommentFactory()
    CommentFactory(status=Comment.Status.REMOVED)

    response = moderator_client.get(QUEUE, {"status": "all"})

    assert len(listed(response)) == 3


def test_status_filter_shows_only_that_status(moderator_client):
    PendingCommentFactory()
    spam = CommentFactory(status=Comment.Status.SPAM)

    response = moderator_client.get(QUEUE, {"status": "spam"})

    assert listed(response) == [spam]


def test_article_filter_shows_that_articles_comments(moderator_client):
    article = ArticleFactory(title="Harbour bridge reopens")
    on_article = PendingCommentFactory(article=article)
    PendingCommentFactory()

    response = moderator_client.get(QUEUE, {"article": article.pk})

    assert listed(response) == [on_article]
    assert "Harbour bridge reopens (1)" in response.text


def test_article_filter_lists_the_articles_with_most_comments_waiting_first(moderator_client):
    now = timezone.now()
    quiet = ArticleFactory(title="Quiet story", published_at=now - timedelta(days=2))
    busy = ArticleFactory(title="Busy story", published_at=now - timedelta(days=3))
    tied = ArticleFactory(title="Newer tied story", published_at=now - timedelta(days=1))
    PendingCommentFactory.create_batch(3, article=busy)
    PendingCommentFactory(article=quiet)
    PendingCommentFactory(article=tied)
    CommentFactory.create_batch(5, article=quiet)  # approved: not waiting
    ArticleFactory(title="Nothing waiting")

    page = moderator_client.get(QUEUE).text

    assert "Nothing waiting" not in page
    assert (
        page.index("Busy story (3)")
        < page.index("Newer tied story (1)")
        < page.index("Quiet story (1)")
    )


def test_date_filter_narrows_to_recent_comments(moderator_client):
    recent = PendingCommentFactory()
    PendingCommentFactory(submitted_at=timezone.now() - timedelta(days=40))
    since = (timezone.localtime() - timedelta(days=7)).isoformat()

    response = moderator_client.get(QUEUE, {"submitted_at__gte": since})

    assert listed(response) == [recent]


def test_search_by_email_finds_the_comment(moderator_client):
    wanted = PendingCommentFactory(author_email="jo.bloggs@readers.example")
    PendingCommentFactory()

    response = moderator_client.get(QUEUE, {"q": "jo.bloggs@readers.example"})

    assert listed(response) == [wanted]


@pytest.mark.parametrize(
    "field, value",
    [
        ("author_name", "Ada Lovelace"),
        ("author_url", "https://ada.example/blog"),
        ("ip_address", "198.51.100.77"),
        ("body", "the bus lane on Mill Road"),
    ],
)
def test_search_finds_comments_by_name_website_ip_and_text(moderator_client, field, value):
    kwargs = {field: value}
    if field == "body":
        kwargs[field] = f"What about {value}?"
    wanted = PendingCommentFactory(**kwargs)
    PendingCommentFactory()

    response = moderator_client.get(QUEUE, {"q": value})

    assert listed(response) == [wanted]


def test_queue_shows_excerpt_author_contact_article_and_reason(moderator_client):
    comment = PendingCommentFactory(
        author_name="Sam Reader",
        author_email="sam@readers.example",
        ip_address="198.51.100.9",
        body="The minutes say otherwise.",
        moderation_reason="Contains a link.",
    )

    text = moderator_client.get(QUEUE).text

    assert "The minutes say otherwise." in text
    assert "Sam Reader" in text
    assert "sam@readers.example" in text
    assert "198.51.100.9" in text
    assert comment.article.get_absolute_url() in text
    assert "Contains a link." in text


def _queue_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE, {"status": "all"})
    assert response.status_code == 200
    return len(queries)


def test_queue_costs_the_same_queries_with_10_or_1000_comments(moderator_client):
    article = ArticleFactory()
    Comment.objects.bulk_create(
        PendingCommentFactory.build(article=article, body_html="<p>x</p>") for _ in range(10)
    )
    moderator_client.get(QUEUE)  # warm the session and content-type caches
    few = _queue_queries(moderator_client)

    other = ArticleFactory()
    Comment.objects.bulk_create(
        PendingCommentFactory.build(article=other, body_html="<p>x</p>") for _ in range(990)
    )
    many = _queue_queries(moderator_client)

    assert few == many


def test_queue_hides_add_button_since_readers_write_comments(superuser_client):
    response = superuser_client.get(QUEUE)

    assert reverse("admin:comments_comment_add") not in response.text


def test_queue_shows_the_comment_as_readers_see_it(moderator_client):
    comment = PendingCommentFactory(body="It was <em>not</em> unanimous & close.")

    response = moderator_client.get(QUEUE)

    assert comment.body_html in response.text
    assert "<em>not</em> unanimous &amp; close." in response.text
