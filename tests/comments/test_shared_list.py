"""The comment list rendered once and shared by readers who see the same (comments/listing.py)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.test import Client

from comments.cookies import PENDING_COOKIE, PENDING_SALT
from comments.models import Comment
from comments.views import comment_section
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def reader_request(rf, article, query="", pending=()):
    request = rf.get(article.get_absolute_url() + query)
    request.user = AnonymousUser()
    if pending:
        request.COOKIES[PENDING_COOKIE] = signing.dumps(list(pending), salt=PENDING_SALT)
    return request


def test_second_reader_gets_the_list_without_querying_comments(rf, django_assert_num_queries):
    article = ArticleFactory()
    CommentFactory.create_batch(3, article=article)
    first = comment_section(reader_request(rf, article), article)

    with django_assert_num_queries(0):
        second = comment_section(reader_request(rf, article), article)

    assert second["comment_list"] == first["comment_list"]
    assert second["comment_count"] == 3


def test_an_approval_shows_to_the_next_reader_at_once(client):
    article = ArticleFactory()
    CommentFactory(article=article, body="Already there.")
    held = CommentFactory(article=article, status=Comment.Status.PENDING, body="Just approved.")
    assert "Just approved." not in client.get(article.get_absolute_url()).text

    held.approve()

    page = Client(HTTP_COOKIE="saved=details").get(article.get_absolute_url()).text
    assert "Just approved." in page
    assert "2 thoughts on" in page


def test_a_pending_comment_never_reaches_the_shared_list(rf):
    article = ArticleFactory()
    CommentFactory(article=article, body="Approved for all.")
    own = CommentFactory(article=article, status=Comment.Status.PENDING, body="Mine alone.")

    author_sees = comment_section(reader_request(rf, article, pending=[own.pk]), article)
    others_see = comment_section(reader_request(rf, article), article)

    assert "Mine alone." in author_sees["comment_list"]
    assert "awaiting moderation" in author_sees["comment_list"]
    assert "Mine alone." not in others_see["comment_list"]


def test_the_author_of_a_pending_comment_sees_it_after_the_list_was_shared(rf):
    article = ArticleFactory()
    CommentFactory(article=article, body="Approved for all.")
    own = CommentFactory(article=article, status=Comment.Status.PENDING, body="Mine alone.")
    comment_section(reader_request(rf, article), article)

    author_sees = comment_section(reader_request(rf, article, pending=[own.pk]), article)

    assert "Mine alone." in author_sees["comment_list"]


def test_each_comments_page_is_shared_separately(client, settings):
    settings.COMMENTS_PER_PAGE = 1
    article = ArticleFactory()
    older = CommentFactory(article=article, body="Older thread.")
    CommentFactory(
        article=article,
        body="Newer thread.",
        submitted_at=older.submitted_at + timedelta(minutes=1),
    )
    url = article.get_absolute_url()
    reader = Client(HTTP_COOKIE="saved=details")

    first_page, second_page = reader.get(url).text, reader.get(url + "?cpage=2").text

    assert "Older thread." in first_page and "Newer thread." not in first_page
    assert "Newer thread." in second_page and "Older thread." not in second_page
    assert "Page 2 of 2" in second_page


def test_reply_links_go_when_comments_close_though_nothing_was_edited(client, settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    article = ArticleFactory()
    CommentFactory(article=article)
    assert "comment-reply-link" in client.get(article.get_absolute_url()).text
    article.published_at -= timedelta(days=15)
    type(article).objects.filter(pk=article.pk).update(published_at=article.published_at)

    page = Client(HTTP_COOKIE="saved=details").get(article.get_absolute_url()).text

    assert "comment-reply-link" not in page
    assert "Comments are closed." in page


def test_staff_preview_shows_no_reply_links_though_readers_get_them(client):
    article = ArticleFactory()
    CommentFactory(article=article)
    assert "comment-reply-link" in Client().get(article.get_absolute_url()).text
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    preview = client.get(f"/preview/{article.pk}/")

    assert preview.status_code == 200
    assert "comment-reply-link" not in preview.text
