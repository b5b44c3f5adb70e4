"""The cache is an accelerator, not a dependency: with Redis stopped, readers get every page
(uncached), commenters get their comment saved and their 303, and the moderators' mail is
queued once Redis is back. Against a real redis-server that the tests stop and start."""

import logging

import pytest
from django.test import override_settings
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage

from comments import throttle
from comments.models import Comment
from newsroom.models import DeferredTask
from newsroom.outbox import enqueue_deferred
from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory

from .redis_server import redis_server  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

# Port 1 on loopback: nothing listens there.
UNREACHABLE = {
    "default": {"BACKEND": "newsroom.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}
PAGES = ["/", "/feed/", "/sitemap.xml", "/admin/login/"]


@pytest.fixture
def site_on_own_redis(redis_server, settings, monkeypatch):  # noqa: F811
    """The cache and the task queue on the test's own Redis, as in production."""
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.COMMENTS_MIN_SECONDS_TO_SUBMIT = 0
    settings.COMMENTS_FLOOD_SECONDS = 60
    settings.COMMENTS_MODERATOR_EMAILS = ["desk@news.example"]
    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(HUEY, "storage", RedisStorage("newsroom-outage-test", url=redis_server.url))
    throttle._fallback_slots.clear()
    yield redis_server
    throttle._fallback_slots.clear()


def post(client, article, remote_addr="203.0.113.7", **fields):
    return client.post(
        reverse("comments:post", args=[article.pk]),
        comment_data(article, **fields),
        REMOTE_ADDR=remote_addr,
    )


def outage_log_lines(caplog):
    return [r for r in caplog.records if r.name == "newsroom.cache" and r.levelno >= logging.ERROR]


def test_pages_are_served_uncached_while_redis_is_down(site_on_own_redis, client, caplog):
    article = ArticleFactory(title="Harbour plan approved")
    site_on_own_redis.stop()

    for path in [*PAGES, article.get_absolute_url(), article.get_absolute_url()]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.get("X-Page-Cache") != "hit"
    assert "Harbour plan approved" in client.get(article.get_absolute_url()).text
    # Once per interval, not once per request.
    assert len(outage_log_lines(caplog)) == 1


def test_healthz_says_degraded_while_redis_is_down(site_on_own_redis, client):
    assert client.get("/healthz").content == b"ok\n"

    site_on_own_redis.stop()

    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"degraded\n"


def test_pages_are_cached_again_once_redis_is_back(site_on_own_redis, client):
    article = ArticleFactory()
    site_on_own_redis.stop()
    client.get(article.get_absolute_url())

    site_on_own_redis.start()
    client.get(article.get_absolute_url())

    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"
    assert client.get("/healthz").content == b"ok\n"


def test_no_page_from_before_a_change_is_served_when_redis_is_reachable_again(
    site_on_own_redis, client
):
    article = ArticleFactory(title="Harbour plan approved")
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "hit"

    # A network fault rather than a restart: the change is made while the cache cannot be
    # reached, and Redis still holds the page from before it when it can be again.
    with override_settings(CACHES=UNREACHABLE):
        article.title = "Harbour plan rejected"
        article.save()

    assert "Harbour plan rejected" in client.get(article.get_absolute_url()).text


def test_a_comment_posted_while_redis_is_down_is_saved_once_and_answered_303(
    site_on_own_redis, client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    site_on_own_redis.stop()

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, article, comment="Was the vote unanimous?")

    assert response.status_code == 303
    assert response.cookies["comments_pending"].value
    comment = Comment.objects.get()
    assert comment.body == "Was the vote unanimous?"
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    # Resending is refused as a duplicate, as it is with Redis up: still one row.
    assert post(client, article, comment="Was the vote unanimous?").status_code == 409
    assert Comment.objects.count() == 1


def test_flood_control_fails_open_to_a_limit_per_process_while_redis_is_down(
    site_on_own_redis, client, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    site_on_own_redis.stop()

    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, article, comment="First thought.")
        again = post(client, article, comment="Second thought, at once.")
        other_reader = post(client, article, remote_addr="198.51.100.4", comment="Mine.")

    assert (first.status_code, again.status_code, other_reader.status_code) == (303, 429, 303)
    assert Comment.objects.count() == 2


# Committed for real, as the consumer closes its database connections around a task.
@pytest.mark.django_db(transaction=True)
def test_the_moderators_mail_is_queued_once_redis_is_back(site_on_own_redis, client, mailoutbox):
    article = ArticleFactory()
    site_on_own_redis.stop()
    assert post(client, article, comment="Was the vote unanimous?").status_code == 303
    assert enqueue_deferred() == 0  # still down: kept

    site_on_own_redis.start()
    # What the consumer's periodic task (newsroom.tasks) does every minute.
    assert enqueue_deferred() == 1

    assert HUEY.pending_count() == 1
    assert DeferredTask.objects.count() == 0
    HUEY.execute(HUEY.dequeue())
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["desk@news.example"]
    assert "Was the vote unanimous?" in mailoutbox[0].body
