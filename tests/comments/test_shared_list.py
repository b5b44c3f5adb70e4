"""What comments/fragments.py renders once and shares: the comment list and the empty form."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from comments.cookies import AUTHOR_COOKIE, PENDING_COOKIE, PENDING_SALT, remember_author
from comments.models import Comment
from comments.templatetags.comments_tags import comment_section as comment_section_tag
from tests.comment_form import follow_refusal
from tests.factories import ArticleFactory, CommentFactory, PendingCommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def comment_section(request, article):
    """What {% comment_section article %} puts in its template's context for `request`."""
    return comment_section_tag({"request": request}, article)


def reader_with_cookies(**options):
    """A browser that bypasses the page cache, as a reader with any cookie of ours does."""
    browser = Client(**options)
    browser.cookies["saved"] = "details"
    return browser


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


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMESTAMP = re.compile(r'name="timestamp" value="([^"]+)"')


def test_empty_form_is_rendered_once_and_shared(rf):
    article = ArticleFactory()
    comment_section(reader_request(rf, article), article)

    second = comment_section(reader_request(rf, article), article)

    assert second["comment_form"] is None
    assert 'id="commentform"' in second["shared_comment_form"]
    assert "Your email address will not be published." in second["shared_comment_form"]


def test_every_reader_of_the_shared_form_gets_the_same_form_and_can_post_it(settings):
    """The shared form carries nothing of its reader: no CSRF token (anonymous posts are
    checked by their headers), a timestamp of when it was rendered."""
    settings.COMMENTS_MIN_SECONDS_TO_SUBMIT = 0
    article = ArticleFactory()
    url = article.get_absolute_url()
    first = reader_with_cookies(enforce_csrf_checks=True)
    second = reader_with_cookies(enforce_csrf_checks=True)
    first_page = first.get(url).text

    second_page = second.get(url).text
    fields = {
        "timestamp": TIMESTAMP.search(second_page)[1],
        "comment": "Posted through the shared form.",
        "name": "Second Reader",
        "email": "second@readers.example",
    }
    posted = second.post(reverse("comments:post", args=[article.pk]), fields)

    assert CSRF_TOKEN.search(first_page) is None and CSRF_TOKEN.search(second_page) is None
    assert TIMESTAMP.search(first_page)[1] == fields["timestamp"]
    assert posted.status_code == 303
    assert Comment.objects.get().author_name == "Second Reader"


def test_the_shared_form_posted_from_another_site_is_refused():
    article = ArticleFactory()
    second = reader_with_cookies(enforce_csrf_checks=True)
    timestamp = TIMESTAMP.search(second.get(article.get_absolute_url()).text)[1]

    posted = follow_refusal(
        second,
        second.post(
            reverse("comments:post", args=[article.pk]),
            {"timestamp": timestamp, "comment": "Hi", "name": "X", "email": "x@y.example"},
            HTTP_ORIGIN="https://forger.example",
        ),
    )

    assert posted.status_code == 403
    assert not Comment.objects.exists()


def test_reader_with_saved_details_gets_their_own_filled_in_form(client, rf):
    article = ArticleFactory()
    comment_section(reader_request(rf, article), article)
    request = reader_request(rf, article)
    saved = HttpResponse()
    details = {"name": "Maria Okafor", "email": "maria@readers.example", "url": ""}
    remember_author(request, saved, details)
    request.COOKIES[AUTHOR_COOKIE] = saved.cookies[AUTHOR_COOKIE].value

    context = comment_section(request, article)

    assert context["shared_comment_form"] is None
    assert context["comment_form"]["name"].value() == "Maria Okafor"


class TestCommentPlaces:
    """Where a posted comment is: approved places shared, the reader's own read or in hand."""

    def test_a_held_comment_in_hand_is_placed_without_reading_comments(
        self, django_assert_num_queries
    ):
        from comments.fragments import comment_places

        article = ArticleFactory()
        CommentFactory.create_batch(3, article=article)
        comment_places(article)  # shared now
        held = PendingCommentFactory(article=article)

        with django_assert_num_queries(0):
            rows = comment_places(article, [held.pk], in_hand=[held])

        assert sorted(row["id"] for row in rows)[-1] == held.pk
        assert len(rows) == 4

    def test_earlier_pending_comments_of_the_reader_are_read(self, django_assert_num_queries):
        from comments.fragments import comment_places

        article = ArticleFactory()
        earlier, someone_elses = PendingCommentFactory.create_batch(2, article=article)
        comment_places(article)
        held = PendingCommentFactory(article=article)

        with django_assert_num_queries(1):
            rows = comment_places(article, [earlier.pk, held.pk], in_hand=[held])

        assert {row["id"] for row in rows} == {earlier.pk, held.pk}
        assert someone_elses.pk not in {row["id"] for row in rows}

    def test_an_approval_changes_the_shared_places(self):
        from comments.fragments import comment_places

        article = ArticleFactory()
        comment_places(article)
        pending = PendingCommentFactory(article=article)

        pending.approve()

        assert [row["id"] for row in comment_places(article)] == [pending.pk]


def test_a_comments_page_past_the_last_is_kept_only_as_the_last():
    import hashlib

    from comments.fragments import shared_comment_list
    from pagecache.fragments import lookup

    article = ArticleFactory()
    CommentFactory.create_batch(2, article=article)
    url = article.get_absolute_url()
    where = hashlib.sha256(url.encode()).hexdigest()[:16]

    for number in range(2, 50):
        shown = shared_comment_list(article, number, article_url=url, comments_open=True)
        assert shown.page_number == 1

    assert lookup(f"comments:list:{article.pk}:oldest:1:1:{where}")[0] is not None
    assert all(
        lookup(f"comments:list:{article.pk}:oldest:{number}:1:{where}")[0] is None
        for number in range(2, 50)
    )
