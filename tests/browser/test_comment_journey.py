"""A comment's whole life as people see it: posted, held, approved, shown, replied to.

Each journey runs twice: with JavaScript, and without it (the site needs none).
"""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

from .pages import (
    approve_from_queue,
    comment_field,
    fill_comment_form,
    log_into_admin,
    make_moderator,
    post_comment,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("instant_posting")]

javascript_on_and_off = pytest.mark.parametrize(
    "javascript", [True, False], ids=["javascript", "no-javascript"]
)

AWAITING = "Your comment is awaiting moderation."
COMMENT = "The old bridge was closed for two years; good to see it open again."
REPLY = "Two years and four months, to be exact."


@javascript_on_and_off
def test_comment_is_held_for_moderation_then_shown_to_every_reader(open_page, javascript):
    article = ArticleFactory(title="Bridge reopens")
    CommentFactory(article=article, author_name="Early reader", body="First to know.")
    moderator = make_moderator()

    reader = open_page("/", javascript=javascript)
    reader.get_by_role("link", name="Bridge reopens").click()
    expect(reader.get_by_role("heading", name="One thought on “Bridge reopens”")).to_be_visible()

    commenter = open_page(article.get_absolute_url(), javascript=javascript)
    expect(commenter.get_by_role("heading", name="Leave a Reply")).to_be_visible()
    comment_id = post_comment(
        commenter,
        comment=COMMENT,
        name="Maria Keller",
        email="maria@readers.example",
        website="https://example.com/maria",
    )
    posted = commenter.locator(f"#comment-{comment_id}")
    expect(posted).to_contain_text(COMMENT)
    expect(posted).to_contain_text(AWAITING)
    expect(commenter.get_by_text("maria@readers.example")).to_have_count(0)

    # Someone else, in another browser, sees nothing of it yet.
    reader.reload()
    expect(reader.get_by_text(COMMENT)).to_have_count(0)
    expect(reader.get_by_role("heading", name="One thought on “Bridge reopens”")).to_be_visible()

    admin = open_page(None, javascript=javascript)
    log_into_admin(admin, moderator)
    approve_from_queue(admin, "The old bridge was closed")

    reader.reload()
    shown = reader.locator(f"#comment-{comment_id}")
    expect(shown).to_contain_text(COMMENT)
    expect(shown).to_contain_text("Maria Keller")
    expect(shown).not_to_contain_text(AWAITING)
    expect(reader.get_by_role("heading", name="2 thoughts on “Bridge reopens”")).to_be_visible()


@javascript_on_and_off
def test_reply_nests_under_the_comment_it_answers(open_page, javascript):
    article = ArticleFactory(title="Bridge reopens")
    parent = CommentFactory(article=article, author_name="Maria Keller", body=COMMENT)
    CommentFactory(article=article, author_name="Someone else", body="Unrelated.")
    moderator = make_moderator()

    commenter = open_page(article.get_absolute_url(), javascript=javascript)
    commenter.locator(f"#comment-{parent.pk}").get_by_role("link", name=re.compile("Reply")).click()
    expect(commenter).to_have_url(re.compile(rf"\?replytocom={parent.pk}#respond$"))
    expect(commenter.locator("#respond")).to_contain_text("Reply to Maria Keller")
    reply_id = post_comment(commenter, comment=REPLY, name="Tom", email="tom@readers.example")
    expect(commenter.locator(f"#comment-{parent.pk} #comment-{reply_id}")).to_contain_text(AWAITING)

    admin = open_page(None, javascript=javascript)
    log_into_admin(admin, moderator)
    approve_from_queue(admin, "Two years and four months")

    reader = open_page(article.get_absolute_url(), javascript=javascript)
    nested = reader.locator(f"#comment-{parent.pk} #comment-{reply_id}")
    expect(nested).to_contain_text(REPLY)
    expect(nested).to_contain_text("Tom")
    expect(reader.get_by_role("heading", name="3 thoughts on “Bridge reopens”")).to_be_visible()
    assert Comment.objects.get(pk=reply_id).parent_id == parent.pk


@javascript_on_and_off
def test_bad_email_is_shown_next_to_the_field_and_everything_typed_is_kept(open_page, javascript):
    article = ArticleFactory()
    page = open_page(article.get_absolute_url(), javascript=javascript)
    typed = {
        "comment": "A comment I took a while to write.\n\nWith two paragraphs.",
        "name": "Maria Keller",
        # Browsers accept an address without a dot in the domain; the server does not.
        "email": "maria@readers",
        "website": "https://example.com/maria",
    }
    fill_comment_form(page, **typed)
    page.get_by_label("Save my name, email, and website in this browser").check()

    with page.expect_navigation() as navigation:
        page.locator("#respond").get_by_role("button", name="Post Comment").click()

    assert navigation.value.status == 400
    email = comment_field(page, "email")
    expect(email).to_have_attribute("aria-invalid", "true")
    error = page.locator("#respond").get_by_text("Enter a valid email address.", exact=True)
    expect(error).to_be_visible()
    assert error_belongs_to_field(email, error)
    for field, value in typed.items():
        expect(comment_field(page, field)).to_have_value(value)
    expect(page.get_by_label("Save my name, email, and website in this browser")).to_be_checked()
    assert Comment.objects.count() == 0


def error_belongs_to_field(field, error):
    """The error is announced with the field (aria-describedby) and sits right after it."""
    described_by = (field.get_attribute("aria-describedby") or "").split()
    error_ids = error.evaluate(
        "(el) => { const ids = []; for (; el; el = el.parentElement) if (el.id) ids.push(el.id);"
        " return ids; }"
    )
    follows = field.evaluate(
        "(input, error) => !!(input.compareDocumentPosition(error) &"
        " Node.DOCUMENT_POSITION_FOLLOWING) && input.parentElement.contains(error)",
        error.element_handle(),
    )
    return follows and bool(set(described_by) & set(error_ids))
