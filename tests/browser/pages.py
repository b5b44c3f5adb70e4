"""What people do on our pages, in the words they would use: fill in the comment form,
log into the admin, approve from the queue."""

import re

from playwright.sync_api import expect

from tests.factories import UserFactory

MODERATOR_PASSWORD = "correct horse battery staple"

# The comment form's fields by their visible labels ("Name *" and so on).
FIELD_LABELS = {"comment": "Comment", "name": "Name", "email": "Email", "website": "Website"}


def comment_field(page, field):
    label = re.compile(rf"^{FIELD_LABELS[field]}\b")
    return page.locator("#respond").get_by_role("textbox", name=label)


def fill_comment_form(page, **values):
    for field, value in values.items():
        comment_field(page, field).fill(value)


def post_comment(page, **values):
    """Fill in and send the form; the id of the new comment, read from the redirect."""
    fill_comment_form(page, **values)
    page.locator("#respond").get_by_role("button", name="Post Comment").click()
    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    return int(page.url.rsplit("#comment-", 1)[1])


def make_moderator(username="moderator"):
    return UserFactory(username=username, is_staff=True, is_superuser=True)


def sign_in_reader(page, live_server_url, user):
    """Give the page's browser a session for `user` (a reader, not staff: there is no
    readers' login page), as if they had signed in."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server_url}]
    )


def log_into_admin(page, user):
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(MODERATOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def approve_from_queue(page, text):
    """Tick the queued comment showing `text` and run the bulk "approve" action."""
    page.goto("/admin/comments/comment/")
    row = page.locator("#result_list tbody tr", has_text=text)
    expect(row).to_have_count(1)
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Approve selected comments")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("approved")
