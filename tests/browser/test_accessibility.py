"""axe-core finds no serious or critical problem on the pages readers use.

axe is injected as a script, which our Content-Security-Policy rightly blocks, so these
pages are opened with bypass_csp; the CSP itself is checked by every other browser test.
"""

import pytest

from comments.templatetags.comments_tags import AVATAR_HUES, avatar_hue
from tests.factories import ArticleFactory, CommentFactory, UserFactory

from .axe import serious_accessibility_violations
from .conftest import DESKTOP, PHONE
from .pages import fill_comment_form, post_comment, sign_in_reader

pytestmark = pytest.mark.browser


def test_front_page_has_no_serious_accessibility_problems(open_page):
    ArticleFactory.create_batch(3)
    page = open_page("/", bypass_csp=True)

    assert serious_accessibility_violations(page) == []


def names_covering_every_avatar_hue():
    """One commenter name per avatar colour, so every colour's contrast is checked."""
    names = {}
    for number in range(1000):
        names.setdefault(avatar_hue(f"Reader {number}"), f"Reader {number}")
        if len(names) == AVATAR_HUES:
            return list(names.values())
    raise AssertionError("no name found for some avatar hue")


def test_article_with_comments_has_no_serious_accessibility_problems(open_page):
    article = ArticleFactory()
    parent = CommentFactory(article=article)
    for name in names_covering_every_avatar_hue():
        CommentFactory(article=article, author_name=name, author_url="https://example.com/")
    CommentFactory(article=article, parent=parent, body="A reply, with https://example.com/")
    page = open_page(article.get_absolute_url(), bypass_csp=True)

    assert serious_accessibility_violations(page) == []


@pytest.mark.usefixtures("instant_posting")
def test_comment_form_with_errors_has_no_serious_accessibility_problems(open_page):
    article = ArticleFactory()
    page = open_page(article.get_absolute_url(), bypass_csp=True)
    fill_comment_form(page, comment="Hello", name="Maria", email="maria@readers")
    page.locator("#respond").get_by_role("button", name="Post Comment").click()
    page.wait_for_load_state()
    page.locator("#respond").get_by_text("Enter a valid email address.", exact=True).wait_for()

    assert serious_accessibility_violations(page) == []


@pytest.mark.usefixtures("instant_posting")
def test_page_after_posting_has_no_serious_accessibility_problems(open_page):
    article = ArticleFactory()
    CommentFactory(article=article)
    page = open_page(article.get_absolute_url(), bypass_csp=True)
    post_comment(page, comment="Hello", name="Maria Keller", email="maria@readers.example")
    page.get_by_text("Your comment is awaiting moderation.").wait_for()

    assert serious_accessibility_violations(page) == []


@pytest.mark.usefixtures("instant_posting")
def test_comment_preview_has_no_serious_accessibility_problems(open_page):
    article = ArticleFactory()
    CommentFactory(article=article)
    page = open_page(article.get_absolute_url(), bypass_csp=True)
    fill_comment_form(page, comment="Hello", name="Maria Keller", email="maria@readers.example")
    page.locator("#respond").get_by_role("button", name="Preview").click()
    page.locator(".comment-preview").wait_for()

    assert serious_accessibility_violations(page) == []


@pytest.mark.usefixtures("instant_posting")
def test_page_after_a_missing_cookie_has_no_serious_accessibility_problems(open_page, live_server):
    article = ArticleFactory()
    page = open_page(None, bypass_csp=True)
    sign_in_reader(page, live_server.url, UserFactory(email="maria@readers.example"))
    page.goto(article.get_absolute_url())
    fill_comment_form(page, comment="Hello")
    page.context.clear_cookies(name="csrftoken")
    page.locator("#respond").get_by_role("button", name="Post Comment").click()
    page.get_by_text("this form needs a cookie").wait_for()

    assert serious_accessibility_violations(page) == []


def test_plain_missing_cookie_page_has_no_serious_accessibility_problems(open_page, live_server):
    page = open_page(None, bypass_csp=True)
    page.goto("/admin/login/")
    page.context.clear_cookies()
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("secret")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Your form was not sent").wait_for()

    assert serious_accessibility_violations(page) == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_reply_form_under_a_comment_has_no_serious_accessibility_problems(open_page, viewport):
    article = ArticleFactory()
    answered = CommentFactory(article=article, author_url="https://example.com/")
    CommentFactory(article=article, parent=answered)
    page = open_page(
        f"{article.get_absolute_url()}?replytocom={answered.pk}", bypass_csp=True, viewport=viewport
    )
    page.locator(f"#comment-{answered.pk} #respond").wait_for()

    assert serious_accessibility_violations(page) == []
