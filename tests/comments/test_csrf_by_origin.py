"""Anonymous comments and password forms are checked by the browser's headers, not by a
token (newsroom/csrf.py), so that their pages are the same for every reader; readers with a
session still need Django's token."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from articles import protection
from comments.models import Comment
from tests.comment_form import open_comment_form
from tests.comments.conftest import comment_data
from tests.factories import ArticleFactory, UserFactory

OWN = "http://testserver"
ELSEWHERE = "https://elsewhere.example"

pytestmark = pytest.mark.django_db


def post(article, browser=None, **headers):
    browser = browser or Client(enforce_csrf_checks=True)
    return browser.post(
        reverse("comments:post", args=[article.pk]),
        comment_data(article),
        REMOTE_ADDR="203.0.113.7",
        **headers,
    )


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_ORIGIN": OWN},
        {"HTTP_ORIGIN": OWN, "HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
        # A sibling subdomain is the same site (Fetch Metadata's "same-site").
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_SEC_FETCH_SITE": "none"},
        {"HTTP_REFERER": f"{OWN}/2026/01/01/some-story/"},
        # Privacy settings may send "null"; the other headers then decide.
        {"HTTP_ORIGIN": "null"},
        {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "same-origin"},
    ],
    ids=[
        "none",
        "origin",
        "origin+fetch",
        "fetch",
        "same-site",
        "typed",
        "referer",
        "null",
        "null+fetch",
    ],
)
def test_an_anonymous_comment_from_this_site_or_naming_none_is_accepted(headers):
    article = ArticleFactory()

    response = post(article, **headers)

    assert response.status_code == 303
    assert Comment.objects.count() == 1
    assert "csrftoken" not in response.cookies


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": ELSEWHERE},
        # The right host under another scheme is another origin.
        {"HTTP_ORIGIN": "https://testserver"},
        {"HTTP_ORIGIN": ELSEWHERE, "HTTP_SEC_FETCH_SITE": "same-origin"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        # A sibling subdomain's Origin is judged exactly (CSRF_TRUSTED_ORIGINS may add it).
        {"HTTP_ORIGIN": "http://blog.testserver", "HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "null", "HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_REFERER": f"{ELSEWHERE}/a-page/"},
        {"HTTP_REFERER": "not a url"},
    ],
    ids=["origin", "scheme", "origin wins", "fetch", "sibling", "null+fetch", "referer", "junk"],
)
def test_an_anonymous_comment_from_another_site_is_refused_and_nothing_kept(headers):
    article = ArticleFactory()

    response = post(article, **headers)

    assert response.status_code == 403
    assert "This form came from a page on another website" in response.content.decode()
    assert not Comment.objects.exists()
    assert not response.cookies


def test_a_trusted_origin_is_accepted(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.news.example"]
    article = ArticleFactory()

    assert post(article, HTTP_ORIGIN="https://www.news.example").status_code == 303


def test_posting_works_with_cookies_blocked():
    """A browser that never keeps a cookie: the page set none, and the post needs none."""
    article = ArticleFactory()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(article.get_absolute_url())
    action, fields = open_comment_form(browser, article.get_absolute_url())
    browser.cookies.clear()

    response = browser.post(
        action,
        {**fields, **comment_data(article), "timestamp": fields["timestamp"]},
        HTTP_ORIGIN=OWN,
    )

    assert not page.cookies
    assert "csrfmiddlewaretoken" not in fields
    assert response.status_code == 303
    assert Comment.objects.count() == 1


class TestReadersWithASession:
    @pytest.fixture
    def browser(self):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(UserFactory(email="reader@readers.example"))
        return browser

    def test_their_form_carries_the_token_and_their_page_is_private(self, browser):
        article = ArticleFactory()

        page = browser.get(article.get_absolute_url())
        _, fields = open_comment_form(browser, article.get_absolute_url())

        assert fields["csrfmiddlewaretoken"]
        assert "private" in page["Cache-Control"]

    def test_a_same_origin_post_without_the_token_is_refused(self, browser):
        article = ArticleFactory()

        response = post(article, browser, HTTP_ORIGIN=OWN, HTTP_SEC_FETCH_SITE="same-origin")

        assert response.status_code == 303  # to the form sent back, ready to post again
        assert browser.get(response["Location"].partition("#")[0]).status_code == 403
        assert not Comment.objects.exists()

    def test_the_token_from_their_page_is_accepted(self, browser):
        article = ArticleFactory()
        action, fields = open_comment_form(browser, article.get_absolute_url())

        response = browser.post(action, {**comment_data(article), **fields, "comment": "Hello."})

        assert response.status_code == 303
        assert Comment.objects.get().body == "Hello."


class TestPasswordForm:
    def unlock(self, article, password, **headers):
        browser = Client(enforce_csrf_checks=True)
        return browser.post(
            reverse("articles:unlock", kwargs={"pk": article.pk}), {"password": password}, **headers
        )

    def test_the_locked_page_is_the_same_for_everyone(self):
        article = ArticleFactory(password="harbour")
        first = Client().get(article.get_absolute_url())
        second = Client().get(article.get_absolute_url())

        assert "csrfmiddlewaretoken" not in first.content.decode()
        assert first.content == second.content
        assert second["X-Page-Cache"] == "hit"

    def test_the_right_password_from_this_site_unlocks(self):
        article = ArticleFactory(password="harbour")

        response = self.unlock(article, "harbour", HTTP_ORIGIN=OWN)

        assert response.status_code == 303
        assert protection.cookie_name(article) in response.cookies

    def test_a_password_sent_from_another_site_is_refused(self):
        article = ArticleFactory(password="harbour")

        response = self.unlock(article, "harbour", HTTP_SEC_FETCH_SITE="cross-site")

        assert response.status_code == 403
        assert protection.cookie_name(article) not in response.cookies


def test_nothing_of_a_cross_site_post_is_kept_for_showing_again(monkeypatch):
    kept = []
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: kept.append(args) or True)
    article = ArticleFactory()

    post(article, HTTP_ORIGIN=ELSEWHERE)

    assert kept == []
