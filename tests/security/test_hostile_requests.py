"""Hostile requests to the comment form: a clear 4xx or an inline error, never a 500, and
not a single comment stored."""

import logging
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments import cookies
from comments.models import Comment
from tests.comment_form import follow_refusal, post_comment, read_comment_form
from tests.factories import ArticleFactory, CommentFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("instant_posting")]

VALID = {
    "comment": "The bridge was closed for two years.",
    "name": "Maria Keller",
    "email": "maria@readers.example",
    "url": "https://example.com/maria",
}


@pytest.fixture
def article():
    return ArticleFactory()


@pytest.fixture
def client():
    # The real CSRF check, which Django's test client otherwise leaves out.
    return Client(enforce_csrf_checks=True)


@contextmanager
def stores_no_comment():
    before = Comment.objects.count()
    yield
    assert Comment.objects.count() == before, "a comment was stored"


def test_the_same_valid_comment_is_stored_so_these_tests_can_fail(client, article):
    response = post_comment(client, article.get_absolute_url(), **VALID)

    assert response.status_code == 303
    assert Comment.objects.filter(article=article, author_name="Maria Keller").count() == 1


class TestForgedRequests:
    """Anonymous posts are checked by the browser's headers; sessions by Django's token
    (newsroom/csrf.py). tests/comments/test_csrf_by_origin.py has the whole matrix."""

    @pytest.mark.parametrize(
        "headers",
        [
            {"HTTP_ORIGIN": "https://forger.example"},
            {"HTTP_SEC_FETCH_SITE": "cross-site"},
            {"HTTP_REFERER": "https://forger.example/page/"},
        ],
        ids=["origin", "fetch-metadata", "referer"],
    )
    def test_an_anonymous_post_from_another_site_is_forbidden(self, client, article, headers):
        action, fields = read_comment_form(client.get(article.get_absolute_url()).content.decode())

        with stores_no_comment():
            response = client.post(action, {**fields, **VALID}, **headers)
        assert response.status_code == 403

    @pytest.mark.parametrize("token", [None, "x" * 64], ids=["no token", "wrong token"])
    def test_a_post_with_a_session_and_without_its_token_is_forbidden(self, article, token):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(UserFactory(email="reader@readers.example"))
        action, fields = read_comment_form(browser.get(article.get_absolute_url()).content.decode())
        fields = {**fields, "comment": VALID["comment"]}
        if token is None:
            del fields["csrfmiddlewaretoken"]
        else:
            fields["csrfmiddlewaretoken"] = token

        with stores_no_comment():
            response = follow_refusal(
                browser, browser.post(action, fields, HTTP_ORIGIN="http://testserver")
            )
        assert response.status_code == 403


class TestOversizedInput:
    @pytest.mark.parametrize(
        "field, length",
        [("comment", 65_526), ("name", 246), ("url", 201), ("email", 255)],
    )
    def test_field_over_its_limit_is_refused_with_an_inline_error(
        self, client, article, field, length
    ):
        too_long = {
            "comment": "w" * length,
            "name": "n" * length,
            "url": "https://example.com/" + "p" * length,
            "email": "e" * (length - len("@readers.example")) + "@readers.example",
        }[field]

        with stores_no_comment():
            response = post_comment(
                client, article.get_absolute_url(), **{**VALID, field: too_long}
            )

        assert response.status_code == 400
        expected = {"email": "An email address is at most 254 characters long"}
        assert expected.get(field, "Ensure this value has at most") in response.content.decode()

    def test_ten_megabyte_body_is_a_bad_request(self, client, article, caplog):
        with stores_no_comment():
            response = post_comment(
                client, article.get_absolute_url(), **{**VALID, "comment": "w" * 10_000_000}
            )

        assert response.status_code == 400
        # Refused while reading the request (DATA_UPLOAD_MAX_MEMORY_SIZE), before any form.
        assert "django.security.RequestDataTooBig" in {record.name for record in caplog.records}


class TestMalformedInput:
    @pytest.mark.parametrize("field", ["comment", "name", "email", "url"])
    def test_nul_byte_is_refused_with_an_inline_error(self, client, article, field):
        value = {**VALID}[field]
        value = value[:3] + "\x00" + value[3:]

        with stores_no_comment():
            response = post_comment(client, article.get_absolute_url(), **{**VALID, field: value})

        assert response.status_code == 400

    @pytest.mark.parametrize(
        "email",
        [
            "maria@readers.example\nBcc: victim@example.com",
            "maria@readers.example\r\nBcc: victim@example.com",
        ],
    )
    def test_newline_in_the_email_is_refused(self, client, article, email):
        with stores_no_comment():
            response = post_comment(client, article.get_absolute_url(), **{**VALID, "email": email})

        assert response.status_code == 400
        assert "Enter a valid email address." in response.content.decode()

    # The timestamp is hidden: its error is the form's own, above it.
    @pytest.mark.parametrize("field", ["comment", "name", "timestamp"])
    def test_invalid_utf8_is_refused_with_an_inline_error(self, client, article, field):
        page = client.get(article.get_absolute_url())
        action, fields = read_comment_form(page.content.decode())
        fields.update(VALID)
        fields.pop(field)
        body = urlencode(fields).encode() + f"&{field}=caf%C3%A9%20%FF%FE%20broken".encode()

        with stores_no_comment():
            response = follow_refusal(
                client,
                client.post(action, body, content_type="application/x-www-form-urlencoded"),
            )

        assert response.status_code == 400
        assert "Some characters could not be read" in response.content.decode()


class TestWrongTargets:
    def test_comment_on_an_unknown_article_is_not_found(self, client, article):
        page = client.get(article.get_absolute_url())
        _, fields = read_comment_form(page.content.decode())
        unknown = reverse("comments:post", args=[Article.objects.order_by("-pk")[0].pk + 1])

        with stores_no_comment():
            response = client.post(unknown, {**fields, **VALID})

        assert response.status_code == 404

    @pytest.mark.parametrize("kind", ["draft", "scheduled"])
    def test_comment_on_an_unpublished_article_is_not_found(self, client, article, kind):
        page = client.get(article.get_absolute_url())
        _, fields = read_comment_form(page.content.decode())
        if kind == "draft":
            hidden = ArticleFactory(status=Article.Status.DRAFT)
        else:
            hidden = ArticleFactory(published_at=timezone.now() + timedelta(days=1))

        with stores_no_comment():
            response = client.post(reverse("comments:post", args=[hidden.pk]), {**fields, **VALID})

        assert response.status_code == 404

    def test_comment_on_a_closed_article_is_refused(self, client, article):
        page = client.get(article.get_absolute_url())
        action, fields = read_comment_form(page.content.decode())
        Article.objects.filter(pk=article.pk).update(comments_open=False)

        with stores_no_comment():
            response = follow_refusal(client, client.post(action, {**fields, **VALID}))

        assert response.status_code == 403
        assert "Comments are closed" in response.content.decode()

    def test_reply_to_a_comment_on_another_article_is_refused(self, client, article):
        elsewhere = CommentFactory()

        with stores_no_comment():
            response = post_comment(
                client, article.get_absolute_url(), parent=str(elsewhere.pk), **VALID
            )

        assert response.status_code == 400

    @pytest.mark.parametrize("status", ["pending", "spam", "removed"])
    def test_reply_to_an_unpublished_comment_is_refused(self, client, article, status):
        hidden = CommentFactory(article=article, status=status)

        with stores_no_comment():
            response = post_comment(
                client, article.get_absolute_url(), parent=str(hidden.pk), **VALID
            )

        assert response.status_code == 400
        assert hidden.body not in response.content.decode()

    @pytest.mark.parametrize("parent", ["-1", "0", "abc", "9" * 30, "1 OR 1=1"])
    def test_reply_to_a_nonsense_comment_id_is_refused(self, client, article, parent):
        with stores_no_comment():
            response = post_comment(client, article.get_absolute_url(), parent=parent, **VALID)

        assert response.status_code == 400


class TestOddRequests:
    def test_get_to_the_posting_address_is_method_not_allowed(self, client, article):
        with stores_no_comment():
            response = client.get(reverse("comments:post", args=[article.pk]))

        assert response.status_code == 405

    def test_a_file_sent_as_the_comment_is_refused(self, client, article):
        page = client.get(article.get_absolute_url())
        action, fields = read_comment_form(page.content.decode())
        upload = SimpleUploadedFile("comment.html", b"<script>window.__xss=1</script>")

        with stores_no_comment():
            response = follow_refusal(
                client, client.post(action, {**fields, **VALID, "comment": upload})
            )

        assert response.status_code == 400
        assert "Please type your comment." in response.content.decode()

    def test_genuine_pending_cookie_shows_its_comment_so_the_next_test_can_fail(self, article):
        own = CommentFactory(article=article, status=Comment.Status.PENDING, body="Mine.")
        reader = Client()
        reader.cookies[cookies.PENDING_COOKIE] = signing.dumps(
            [own.pk], salt=cookies.PENDING_SALT, compress=True
        )

        assert "Mine." in reader.get(article.get_absolute_url()).content.decode()

    def test_forged_pending_cookie_does_not_reveal_someone_elses_comment(self, article):
        someone_elses = CommentFactory(
            article=article, status=Comment.Status.PENDING, body="Held, and private."
        )
        reader = Client()
        for forged in (f"[{someone_elses.pk}]", f"{someone_elses.pk}", "W10:forged:signature"):
            reader.cookies[cookies.PENDING_COOKIE] = forged

            response = reader.get(article.get_absolute_url())

            assert response.status_code == 200
            assert "Held, and private." not in response.content.decode()


def quiet_refusals(caplog):
    """The log records of the request beyond its one "Not Found"/"Bad Request" line."""
    return [
        record
        for record in caplog.records
        if record.levelno >= logging.ERROR or record.exc_info is not None
    ]


class TestAddressesThatMustNotFail:
    """Odd addresses anyone can type: a 4xx and one short log line, never a 500."""

    @pytest.mark.parametrize(
        "path",
        ["/99999999999999999999/01/01/x/", "/9999999999/12/02/{slug}/", "/0/01/01/{slug}/"],
    )
    def test_article_address_with_an_impossible_year_is_not_found(self, article, path, caplog):
        response = Client().get(path.format(slug=article.slug))

        assert response.status_code == 404
        assert quiet_refusals(caplog) == []

    @pytest.mark.parametrize(
        "path", ["/?p=%C2%B2", "/index.php?p=%E2%91%A0", "/?p=%D9%A3", "/?p=" + "9" * 30]
    )
    def test_old_wordpress_link_with_a_number_that_is_no_id_is_not_found(self, path, caplog):
        response = Client().get(path)

        assert response.status_code == 404
        assert quiet_refusals(caplog) == []


class TestUnreadableRequests:
    """Requests Django cannot read are refused before anything tries: a short 400."""

    @pytest.mark.parametrize("charset", ["utf-16", "latin-1", "utf-32-be"])
    @pytest.mark.parametrize("where", ["comment", "admin login"])
    def test_form_in_another_charset_than_utf8_is_a_short_bad_request(
        self, client, article, caplog, charset, where
    ):
        url = {
            "comment": reverse("comments:post", args=[article.pk]),
            "admin login": "/admin/login/",
        }[where]
        body = urlencode({**VALID, "username": "x", "password": "y"})  # sent in `charset`

        with stores_no_comment():
            response = client.post(
                url, body, content_type=f"application/x-www-form-urlencoded; charset={charset}"
            )

        assert response.status_code == 400
        assert len(response.content) < 200
        assert quiet_refusals(caplog) == []
        assert [record.getMessage() for record in caplog.records] == [f"Bad Request: {url}"]

    def test_form_declared_as_utf8_is_read(self, client, article):
        response = post_comment(client, article.get_absolute_url(), **VALID)
        assert response.status_code == 303


class TestNulCharacters:
    """PostgreSQL refuses NUL in any text it is asked to compare (SQLite does not)."""

    @pytest.mark.parametrize(
        "path", ["/%00/", "/static/x%00.css", "/feed/%00", "/category/a%00b/", "/?q=%00"]
    )
    def test_address_with_a_nul_character_is_a_bad_request(self, path, caplog):
        response = Client().get(path)

        assert response.status_code == 400
        assert quiet_refusals(caplog) == []

    def test_nul_character_in_an_admin_filter_is_a_bad_request(self, admin_client):
        response = admin_client.get("/admin/comments/comment/?author_name=%00")

        assert response.status_code == 400

    def test_nul_character_in_an_admin_autocomplete_search_is_a_bad_request(self, admin_client):
        response = admin_client.get(
            "/admin/autocomplete/?term=%00&app_label=articles&model_name=article"
            "&field_name=category"
        )

        assert response.status_code == 400


class TestAdminFilters:
    @pytest.mark.parametrize("article_id", ["%C2%B2", "%E2%91%A0", "9" * 25, "abc"])
    def test_comment_queue_filtered_by_an_article_id_that_is_no_number_ignores_it(
        self, admin_client, article_id
    ):
        CommentFactory(status=Comment.Status.PENDING, body="Waiting for a moderator.")

        response = admin_client.get(f"/admin/comments/comment/?article={article_id}")

        assert response.status_code == 200
        assert "Waiting for a moderator." in response.text
