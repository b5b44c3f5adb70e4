"""A commenter edits and deletes their own comment in Chromium, without JavaScript too:
inside the window, after it, and from another browser (refused)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import Comment, CommentEdit
from tests.factories import ArticleFactory

from .conftest import DESKTOP, PHONE
from .pages import post_comment

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("instant_posting")]

FIRST = "The new timetable is much easier to read."
CHANGED = "The new timetable is much easier to read, and the buses keep to it."

readers = pytest.mark.parametrize(
    "javascript, viewport",
    [(True, DESKTOP), (False, PHONE)],
    ids=["desktop-javascript", "phone-no-javascript"],
)


def posted(open_page, javascript=True, viewport=DESKTOP):
    article = ArticleFactory(title="Timetable changes")
    page = open_page(article.get_absolute_url(), javascript=javascript, viewport=viewport)
    pk = post_comment(page, comment=FIRST, name="Maria", email="maria@readers.example")
    return page, Comment.objects.get(pk=pk)


@readers
def test_a_commenter_edits_their_comment_within_the_window(open_page, javascript, viewport):
    page, comment = posted(open_page, javascript, viewport)
    mine = page.locator(f"#comment-{comment.pk}")

    mine.get_by_role("link", name="Edit your comment").click()
    expect(page).to_have_title(re.compile(r"^Edit your comment – "))
    box = page.get_by_role("textbox", name="Your comment")
    expect(box).to_have_value(FIRST)
    box.fill(CHANGED)
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_url(re.compile(rf"#comment-{comment.pk}$"))
    expect(mine.locator(".comment-content")).to_contain_text(CHANGED)
    expect(mine.locator(".comment-edited")).to_have_text("(edited)")
    assert CommentEdit.objects.get(comment=comment).previous_body == FIRST


@readers
def test_a_commenter_deletes_their_comment_after_confirming(open_page, javascript, viewport):
    page, comment = posted(open_page, javascript, viewport)

    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Delete your comment").click()
    expect(page.get_by_role("heading", name="Delete your comment?")).to_be_visible()
    page.get_by_role("button", name="Delete").click()

    expect(page).to_have_url(re.compile(r"#comments$"))
    expect(page.locator(f"#comment-{comment.pk}")).to_have_count(0)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED


def test_after_the_window_the_links_are_gone_and_the_edit_page_says_why(open_page, settings):
    page, comment = posted(open_page)
    edit_url = (
        page.locator(f"#comment-{comment.pk}")
        .get_by_role("link", name="Edit your comment")
        .get_attribute("href")
    )
    Comment.objects.filter(pk=comment.pk).update(
        submitted_at=timezone.now()
        - timedelta(minutes=settings.COMMENTS_EDIT_WINDOW_MINUTES, seconds=1)
    )

    page.reload()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text(FIRST)
    expect(page.get_by_role("link", name="Edit your comment")).to_have_count(0)
    response = page.goto(edit_url)

    assert response.status == 403
    expect(page.locator("body")).to_contain_text("The time to edit this comment has passed")
    expect(page.get_by_role("link", name="Back to “Timetable changes”")).to_be_visible()


def test_another_browser_cannot_edit_or_delete(open_page):
    page, comment = posted(open_page)
    comment.approve()
    elsewhere = open_page(comment.article.get_absolute_url())

    expect(elsewhere.locator(f"#comment-{comment.pk}")).to_contain_text(FIRST)
    expect(elsewhere.get_by_role("link", name="Edit your comment")).to_have_count(0)
    for action in ("edit", "delete"):
        response = elsewhere.goto(f"/comments/{comment.pk}/{action}/")
        assert response.status == 403
        expect(elsewhere.locator("body")).to_contain_text(
            "only be edited or deleted from the browser that posted it"
        )
    comment.refresh_from_db()
    assert (comment.body, comment.status) == (FIRST, Comment.Status.APPROVED)
