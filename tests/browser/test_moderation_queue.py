"""Working the moderation queue without JavaScript, at desktop and phone widths: approve
from a row, go on from one comment's page to the next, and the rows as cards on a phone."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory, PendingCommentFactory, UserFactory

from .conftest import DESKTOP
from .pages import log_into_admin

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
both_widths = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
QUEUE = "/admin/comments/comment/"


def moderator():
    """A moderator's permissions (the Moderators group's, which the live server's flushed
    database no longer holds)."""
    user = UserFactory(username="mo", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="comments",
            codename__in=[
                "view_comment",
                "change_comment",
                "moderate_comment",
                "view_commenter_personal_data",
            ],
        )
    )
    return user


def queue_with_three_waiting():
    article = ArticleFactory(title="Harbour wall repairs")
    parent = CommentFactory(article=article, author_name="Hannah Lind", body="A fair summary.")
    now = timezone.now()
    return [
        PendingCommentFactory(
            article=article,
            parent=parent,
            author_name="Ana Ribeiro",
            body="When does the second phase start? " * 40,
            submitted_at=now - timedelta(hours=3),
        ),
        PendingCommentFactory(
            article=article,
            author_name="Tom Hughes",
            author_email="tom.hughes.who.has.a.very.long.address@readers.example",
            body="Is there a timetable?",
            submitted_at=now - timedelta(hours=2),
        ),
        PendingCommentFactory(
            article=article,
            author_name="Sam Okafor",
            body="Thanks for the figures.",
            submitted_at=now - timedelta(hours=1),
        ),
    ]


def row_of(page, name):
    return page.locator("#result_list tbody tr", has_text=name)


@both_widths
def test_approving_from_a_row_stays_in_the_queue_and_says_so(open_page, viewport):
    ana, tom, sam = queue_with_three_waiting()
    page = open_page(None, javascript=False, viewport=viewport)
    log_into_admin(page, moderator())
    page.goto(QUEUE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Comments awaiting moderation (3)")
    expect(row_of(page, "Ana Ribeiro")).to_contain_text("In reply to Hannah Lind")

    row_of(page, "Tom Hughes").get_by_role(
        "button", name="Approve the comment by Tom Hughes"
    ).click()

    expect(page.locator(".messagelist")).to_contain_text("Comment by Tom Hughes approved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comments awaiting moderation (2)")
    expect(row_of(page, "Tom Hughes")).to_have_count(0)
    tom.refresh_from_db()
    assert tom.status == Comment.Status.APPROVED
    assert tom.status_changes.get().changed_by.username == "mo"


@both_widths
def test_a_comments_page_leads_on_to_the_next_pending_one_then_back_to_the_queue(
    open_page, viewport
):
    ana, tom, sam = queue_with_three_waiting()
    page = open_page(None, javascript=False, viewport=viewport)
    log_into_admin(page, moderator())

    page.goto(f"/admin/comments/comment/{sam.pk}/change/")
    page.locator(".moderation-buttons").get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Approved. Next comment awaiting moderation:"
    )
    expect(page).to_have_url(
        f"{page.url.split('/admin/')[0]}/admin/comments/comment/{ana.pk}/change/"
    )

    page.locator(".moderation-buttons").get_by_role("button", name="Mark as spam").click()
    expect(page).to_have_url(
        f"{page.url.split('/admin/')[0]}/admin/comments/comment/{tom.pk}/change/"
    )
    expect(page.locator(".messagelist")).to_contain_text("Marked as spam.")

    page.locator(".moderation-buttons").get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("No more comments awaiting moderation.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comments awaiting moderation (0)")


def test_queue_fits_a_desktop_screen_with_the_comment_widest(open_page):
    queue_with_three_waiting()
    page = open_page(None, javascript=False, viewport=DESKTOP)
    log_into_admin(page, moderator())
    page.goto(QUEUE)

    table = page.locator("#result_list").bounding_box()
    assert table["x"] + table["width"] <= DESKTOP["width"]
    widths = {
        column: page.locator(f"#result_list thead th.column-{column}").bounding_box()["width"]
        for column in ("comment", "commenter_with_contact", "in_response_to", "status_and_reason")
    }
    assert max(widths, key=widths.get) == "comment"
    status = page.locator("td.field-status_and_reason").first.bounding_box()
    assert status["x"] + status["width"] <= DESKTOP["width"]


def test_on_a_phone_each_row_is_a_card_with_status_and_buttons_in_reach(open_page):
    queue_with_three_waiting()
    page = open_page(None, javascript=False, viewport=PHONE)
    log_into_admin(page, moderator())
    page.goto(QUEUE)

    expect(page.locator("#result_list thead")).to_be_hidden()
    row = row_of(page, "Tom Hughes")
    card = row.bounding_box()
    assert card["x"] >= 0 and card["x"] + card["width"] <= PHONE["width"]
    status = row.locator(".queue-status")
    expect(status).to_be_visible()
    assert status.bounding_box()["y"] < row.locator(".rendered-comment").bounding_box()["y"]
    for control in [
        *row.locator(".queue-action").all(),
        *row.locator(".queue-link").all(),
        row.get_by_role("checkbox"),
    ]:
        box = control.bounding_box()
        assert box["height"] >= 24 and box["width"] >= 24, control
        assert box["x"] + box["width"] <= PHONE["width"]


@both_widths
def test_banning_from_a_row_sends_that_commenters_comments_to_spam(open_page, viewport):
    ana, tom, sam = queue_with_three_waiting()
    again = PendingCommentFactory(
        article=tom.article, author_name="Tom H.", author_email=tom.author_email
    )
    page = open_page(None, javascript=False, viewport=viewport)
    log_into_admin(page, moderator())
    page.goto(QUEUE)

    row_of(page, "Tom Hughes").get_by_role(
        "button", name="Ban the address of Tom Hughes, and send their pending comments to spam"
    ).click()

    expect(page.locator(".messagelist")).to_contain_text(
        "1 address banned; 2 pending comments moved to spam."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Comments awaiting moderation (2)")
    expect(row_of(page, "Tom H")).to_have_count(0)
    expect(row_of(page, "Ana Ribeiro")).to_have_count(1)
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses[tom.pk] == statuses[again.pk] == Comment.Status.SPAM
    assert statuses[ana.pk] == statuses[sam.pk] == Comment.Status.PENDING
