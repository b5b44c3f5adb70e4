"""Email notifications as a reader meets them: ticking a box under the form, the
confirmation page the email links to, and the unsubscribe page of a notification."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import ArticleFactory, PendingCommentFactory

from .pages import post_comment

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("instant_posting")]

FOLLOW_UPS = "Notify me of follow-up comments by email."
APPROVAL = "Notify me when my comment is approved."


def link(message, pattern):
    return re.search(pattern, message.body)[0]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_reader_subscribes_confirms_and_unsubscribes(
    open_page, live_server, settings, javascript
):
    settings.SITE_URL = live_server.url
    settings.COMMENTS_NOTIFY_MODERATORS = False
    article = ArticleFactory(title="Bridge reopens")

    page = open_page(article.get_absolute_url(), javascript=javascript)
    follow_ups = page.get_by_role("checkbox", name=FOLLOW_UPS)
    approval = page.get_by_role("checkbox", name=APPROVAL)
    expect(follow_ups).not_to_be_checked()
    expect(approval).not_to_be_checked()
    follow_ups.check()
    post_comment(
        page,
        comment="Good to see it open again.",
        name="Maria Keller",
        email="maria@readers.example",
    )

    [confirmation] = mail.outbox
    assert confirmation.to == ["maria@readers.example"]
    page.goto(
        link(confirmation, rf"{re.escape(live_server.url)}/comments/subscriptions/confirm/\S+/")
    )
    expect(page.get_by_role("heading", name="Confirm your email notifications")).to_be_visible()
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_role("heading", name="Your address is confirmed")).to_be_visible()

    # Someone else's comment is approved: the confirmed reader hears of it.
    PendingCommentFactory(article=article, author_name="Jon", body="Two years and four months.")
    Comment.objects.pending().change_status(Comment.Status.APPROVED)
    notice = mail.outbox[-1]
    assert notice.to == ["maria@readers.example"] and "Jon" in notice.body
    unsubscribe = notice.extra_headers["List-Unsubscribe"].strip("<>")

    page.goto(unsubscribe)
    expect(page.get_by_role("heading", name="Stop emails about this discussion?")).to_be_visible()
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    expect(page.get_by_text("Bridge reopens")).to_be_visible()


def test_an_expired_or_broken_link_gets_a_friendly_page(open_page, live_server):
    page = open_page(None)

    response = page.goto(f"{live_server.url}/comments/subscriptions/confirm/broken/")

    assert response.status == 400
    expect(page.get_by_role("heading", name="We could not confirm your address")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("This confirmation link is not valid")
