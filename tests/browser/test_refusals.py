"""A refused comment, as a reader sees it: the browser is at the form, the error summed up
at its top, the text kept. Desktop and phone, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, UserFactory

from .conftest import DESKTOP, PHONE
from .pages import comment_field, fill_comment_form, sign_in_reader

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("instant_posting")]

TYPED = "The bus lane on Mill Road has made my commute ten minutes shorter."

every_reader = pytest.mark.parametrize(
    "javascript, viewport",
    [(True, DESKTOP), (False, DESKTOP), (True, PHONE), (False, PHONE)],
    ids=["desktop-javascript", "desktop-no-javascript", "phone-javascript", "phone-no-javascript"],
)


def long_article():
    # Enough comments above the form that it sits far below the headline.
    article = ArticleFactory(title="Bus lane opens")
    for number in range(12):
        CommentFactory(article=article, body=f"Comment {number}. " + "Words. " * 80)
    return article


def in_viewport(page, selector):
    return page.locator(selector).evaluate(
        "(el) => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.top < window.innerHeight; }"
    )


@every_reader
def test_a_refused_comment_lands_the_reader_at_the_form_with_the_error(
    open_page, javascript, viewport
):
    page = open_page(long_article().get_absolute_url(), javascript=javascript, viewport=viewport)
    fill_comment_form(page, comment=TYPED, name="Maria", email="maria@readers")

    with page.expect_navigation() as navigation:
        page.locator("#respond").get_by_role("button", name="Post Comment").click()

    assert navigation.value.status == 400
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Your comment was not posted")
    assert in_viewport(page, ".error-summary")
    assert page.title().startswith("Error: Bus lane opens")
    expect(comment_field(page, "comment")).to_have_value(TYPED)
    summary.get_by_role("link", name="Email: Enter a valid email address.").click()
    expect(comment_field(page, "email")).to_be_focused()
    assert Comment.objects.filter(body=TYPED).count() == 0


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_reloading_a_refused_comment_sends_nothing_again(open_page, viewport, settings):
    settings.COMMENTS_FLOOD_SECONDS = 60
    article = long_article()
    page = open_page(article.get_absolute_url(), viewport=viewport)
    fill_comment_form(page, comment="First.", name="Maria", email="maria@readers.example")
    page.locator("#respond").get_by_role("button", name="Post Comment").click()
    page.wait_for_url("**#comment-*")
    page.goto(article.get_absolute_url())
    fill_comment_form(page, comment=TYPED, name="Maria", email="maria@readers.example")
    page.locator("#respond").get_by_role("button", name="Post Comment").click()
    page.wait_for_url("**?unposted=*#respond")
    sent = []
    page.on("request", lambda request: sent.append(request.method))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    reloaded = page.reload()

    assert reloaded.status == 429
    assert sent and "POST" not in sent
    assert dialogs == []
    expect(page.get_by_role("alert")).to_contain_text("You are posting comments too quickly.")
    expect(comment_field(page, "comment")).to_have_value(TYPED)
    assert in_viewport(page, ".error-summary")
    assert Comment.objects.filter(body__in=["First.", TYPED]).count() == 1


@every_reader
def test_a_comment_posted_too_quickly_lands_at_the_form(open_page, javascript, viewport, settings):
    settings.COMMENTS_FLOOD_SECONDS = 60
    article = long_article()
    page = open_page(article.get_absolute_url(), javascript=javascript, viewport=viewport)
    fill_comment_form(page, comment="First.", name="Maria", email="maria@readers.example")
    page.locator("#respond").get_by_role("button", name="Post Comment").click()
    page.wait_for_url("**#comment-*")

    page.goto(article.get_absolute_url())
    fill_comment_form(page, comment=TYPED, name="Maria", email="maria@readers.example")
    with page.expect_navigation() as navigation:
        page.locator("#respond").get_by_role("button", name="Post Comment").click()

    assert navigation.value.status == 429
    expect(page.get_by_role("alert")).to_contain_text("You are posting comments too quickly.")
    assert in_viewport(page, ".error-summary")
    expect(comment_field(page, "comment")).to_have_value(TYPED)


@every_reader
def test_a_signed_in_readers_comment_sent_after_cookies_were_cleared_comes_back_ready(
    open_page, live_server, javascript, viewport
):
    """Readers with a session still need Django's token, whose cookie may be cleared while
    the page is open (anonymous readers need no cookie: tests/browser/test_cross_site.py)."""
    article = long_article()
    page = open_page(None, javascript=javascript, viewport=viewport)
    sign_in_reader(
        page, live_server.url, UserFactory(first_name="Maria", email="m@readers.example")
    )
    page.goto(article.get_absolute_url())
    fill_comment_form(page, comment=TYPED)
    page.context.clear_cookies(name="csrftoken")

    with page.expect_navigation() as navigation:
        page.locator("#respond").get_by_role("button", name="Post Comment").click()

    assert navigation.value.status == 403
    expect(page.get_by_role("alert")).to_contain_text("This form needs a cookie from this site")
    assert in_viewport(page, ".error-summary")
    expect(page.locator("body")).not_to_contain_text("CSRF verification failed")
    expect(comment_field(page, "comment")).to_have_value(TYPED)

    page.locator("#respond").get_by_role("button", name="Post Comment").click()
    page.wait_for_url("**#comment-*")
    assert Comment.objects.filter(body=TYPED).count() == 1


@every_reader
def test_preview_shows_the_comment_above_the_form_and_posts_nothing(
    open_page, javascript, viewport
):
    article = long_article()
    page = open_page(article.get_absolute_url(), javascript=javascript, viewport=viewport)
    fill_comment_form(page, comment=TYPED, name="Maria", email="maria@readers.example")

    with page.expect_navigation() as navigation:
        page.locator("#respond").get_by_role("button", name="Preview").click()

    assert navigation.value.status == 200
    preview = page.locator(".comment-preview")
    expect(preview).to_contain_text("Preview of your comment")
    expect(preview.locator(".comment-content")).to_have_text(TYPED)
    expect(preview).to_contain_text("Maria")
    assert in_viewport(page, ".comment-preview")
    expect(comment_field(page, "comment")).to_have_value(TYPED)
    assert Comment.objects.filter(body=TYPED).count() == 0

    page.locator("#respond").get_by_role("button", name="Post Comment").click()
    page.wait_for_url("**#comment-*")
    assert Comment.objects.filter(body=TYPED).count() == 1
