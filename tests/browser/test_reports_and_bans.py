"""Without JavaScript: a reader reports a comment, the moderator finds it under "Reported"
and bans a commenter from a comment's own admin page. Desktop and phone."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment, CommentReport, Sanction
from tests.factories import ArticleFactory, CommentFactory, PendingCommentFactory

from .conftest import DESKTOP, PHONE
from .pages import log_into_admin, make_moderator

pytestmark = pytest.mark.browser

both_widths = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])


@both_widths
def test_a_reader_reports_a_comment_and_the_moderator_finds_it(open_page, viewport):
    article = ArticleFactory(title="Library to close on Sundays")
    CommentFactory(article=article, author_name="Ada", body="A fair point about the hours.")
    rude = CommentFactory(article=article, author_name="Troll", body="You are all idiots.")

    page = open_page(article.get_absolute_url(), javascript=False, viewport=viewport)
    page.get_by_role("link", name="Report the comment by Troll").click()

    expect(page.get_by_role("heading", name="Report a comment")).to_be_visible()
    expect(page.locator(".report-comment")).to_contain_text("You are all idiots.")
    page.get_by_label("Abuse, harassment or hate").check()
    page.get_by_label("Anything to add?").fill("Insults everyone.")
    page.get_by_role("button", name="Send report").click()

    expect(page).to_have_url(re.compile(rf"{article.get_absolute_url()}#comment-{rude.pk}$"))
    expect(page.get_by_role("status")).to_contain_text("Thank you for your report")
    report = CommentReport.objects.get()
    assert (report.comment_id, report.reason, report.text) == (
        rude.pk,
        CommentReport.Reason.ABUSE,
        "Insults everyone.",
    )

    # The same browser cannot report it twice.
    page.goto(f"/comments/report/{rude.pk}/")
    expect(page.get_by_role("status")).to_contain_text("already reported")

    admin = open_page(None, javascript=False, viewport=viewport)
    log_into_admin(admin, make_moderator())
    admin.goto("/admin/comments/comment/")
    admin.get_by_role("link", name="Reported (1)").click()
    row = admin.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("You are all idiots.")
    expect(row).to_contain_text("Abuse, harassment or hate ×1")


@both_widths
def test_a_moderator_bans_an_address_from_the_comments_admin_page(open_page, viewport):
    spam = PendingCommentFactory(author_email="promo@spam.example", body="Cheap pills here")
    more = PendingCommentFactory(author_email="promo@spam.example", body="More cheap pills")

    page = open_page(None, javascript=False, viewport=viewport)
    log_into_admin(page, make_moderator())
    page.goto(f"/admin/comments/comment/{spam.pk}/change/")
    page.get_by_role("button", name="Ban this address").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "1 address banned; 2 pending comments moved to spam."
    )
    assert Sanction.objects.get().value == "promo@spam.example"
    assert set(Comment.objects.spam()) == {spam, more}
