"""No comment is lost without a word: whatever the moderation policy decided, the poster
lands at their comment, marked as awaiting moderation.

With the site's real timing rules (not `instant_posting`): these are the people the
rules used to punish, a returning reader who posts within 3 s and a reader who posts
again right after being told the form was open for too long.
"""

import json
import re
import time

import pytest
from playwright.sync_api import expect

from comments.cookies import AUTHOR_COOKIE, _cipher
from comments.forms import issue_timestamp
from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

from .conftest import DESKTOP, PHONE
from .pages import comment_field, fill_comment_form

pytestmark = pytest.mark.browser

AWAITING = "Your comment is awaiting moderation."

javascript_on_and_off = pytest.mark.parametrize(
    "javascript", [True, False], ids=["javascript", "no-javascript"]
)
desktop_and_phone = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])


@pytest.fixture
def real_timing(settings):
    settings.COMMENTS_MIN_SECONDS_TO_SUBMIT = 3
    settings.COMMENTS_FLOOD_SECONDS = 0
    return settings


def article_with_comments():
    # Enough comments above the form that landing at the top would not show the new one.
    article = ArticleFactory(title="Bridge reopens")
    for number in range(6):
        CommentFactory(
            article=article,
            author_name=f"Reader {number}",
            body="The bridge matters to everyone who crosses the river each day. " * 4,
        )
    return article


def press_post_comment(page):
    page.locator("#respond").get_by_role("button", name="Post Comment").click()


def expect_to_land_at_own_comment(page, text):
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    comment_id = int(page.url.rsplit("#comment-", 1)[1])
    posted = page.locator(f"#comment-{comment_id}")
    expect(posted).to_contain_text(text)
    expect(posted).to_contain_text(AWAITING)
    expect(posted.locator(".comment-awaiting-moderation")).to_be_in_viewport()
    return Comment.objects.get(pk=comment_id)


@javascript_on_and_off
@desktop_and_phone
def test_returning_reader_posting_within_3_seconds_sees_their_comment_in_place(
    open_page, live_server, real_timing, javascript, viewport
):
    # As a reader posting within 3 s is, on a machine that may take longer to drive the
    # browser than a person with saved details takes to type three words.
    real_timing.COMMENTS_MIN_SECONDS_TO_SUBMIT = 60
    article = article_with_comments()
    page = open_page(None, javascript=javascript, viewport=viewport)
    saved = {"name": "Maria Keller", "email": "maria@readers.example", "url": ""}
    page.context.add_cookies(
        [
            {
                "name": AUTHOR_COOKIE,
                "value": _cipher().encrypt(json.dumps(saved).encode()).decode(),
                "url": live_server.url,
            }
        ]
    )
    page.goto(article.get_absolute_url())
    expect(comment_field(page, "name")).to_have_value("Maria Keller")

    fill_comment_form(page, comment="Great news, thanks!")
    press_post_comment(page)

    comment = expect_to_land_at_own_comment(page, "Great news, thanks!")
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason.startswith("Held: sent ")
    # Nobody else sees it.
    other = open_page(article.get_absolute_url(), javascript=javascript, viewport=viewport)
    expect(other.get_by_text("Great news, thanks!")).to_have_count(0)


@javascript_on_and_off
@desktop_and_phone
def test_posting_again_right_after_the_stale_form_refusal_lands_at_the_comment(
    open_page, real_timing, javascript, viewport
):
    article = article_with_comments()
    page = open_page(article.get_absolute_url(), javascript=javascript, viewport=viewport)
    # The page was left open two days ago.
    two_days_ago = issue_timestamp(article, issued_at=time.time() - 2 * 24 * 60 * 60)
    page.locator('#respond input[name="timestamp"]').evaluate(
        "(input, value) => { input.value = value; }", two_days_ago
    )
    typed = "I read this over the weekend and came back to say: well done."
    fill_comment_form(page, comment=typed, name="Tom", email="tom@readers.example")

    press_post_comment(page)
    expect(page.get_by_text("This form was open for too long.")).to_have_count(1)
    expect(comment_field(page, "comment")).to_have_value(typed)
    assert not Comment.objects.filter(author_name="Tom").exists()

    press_post_comment(page)

    comment = expect_to_land_at_own_comment(page, typed)
    assert comment.status == Comment.Status.PENDING
    assert comment.moderation_reason == "Held for moderation: every new comment is."


@javascript_on_and_off
def test_a_comment_the_policy_takes_for_spam_is_shown_to_its_poster_alone(
    open_page, real_timing, javascript
):
    real_timing.COMMENTS_DISALLOWED_WORDS = ["casino"]
    article = article_with_comments()
    page = open_page(article.get_absolute_url(), javascript=javascript, viewport=PHONE)
    time.sleep(3)
    typed = "The casino boat used to moor under this bridge."
    fill_comment_form(page, comment=typed, name="Ana", email="ana@readers.example")

    press_post_comment(page)

    comment = expect_to_land_at_own_comment(page, typed)
    assert comment.status == Comment.Status.SPAM
    other = open_page(article.get_absolute_url(), javascript=javascript)
    expect(other.get_by_text(typed)).to_have_count(0)
