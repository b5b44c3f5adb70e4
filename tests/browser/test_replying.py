"""Replying in place, without JavaScript: the form opens under the comment answered, and
after posting, the comment answered and the reply are both in view. And the controls a
thumb has to hit are big enough; the Website field takes what people type."""

import re

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

from .conftest import DESKTOP
from .pages import comment_field, fill_comment_form, post_comment

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("instant_posting")]

PHONE_390 = {"width": 390, "height": 844}
javascript_on_and_off = pytest.mark.parametrize(
    "javascript", [True, False], ids=["javascript", "no-javascript"]
)
both_widths = pytest.mark.parametrize("viewport", [DESKTOP, PHONE_390], ids=["desktop", "phone"])

ANSWERED = "The ferry timetable changes on Monday; the 7:40 is gone for good."


def conversation(**article_options):
    """An article whose comments run well past one screen, one of them by Ana Costa."""
    article = ArticleFactory(title="Ferry timetable", **article_options)
    CommentFactory(article=article, author_name="First reader", body="Good to know.")
    answered = CommentFactory(article=article, author_name="Ana Costa", body=ANSWERED)
    for number in range(8):
        CommentFactory(
            article=article,
            author_name=f"Reader {number}",
            author_url="https://example.com/",
            body="A longer thought about the harbour.\n\nIn two paragraphs, as people write.",
        )
    return article, answered


def reply_link(page, comment):
    return page.locator(f"#comment-{comment.pk} > .comment-body").get_by_role(
        "link", name="Reply to Ana Costa"
    )


def form_follows_the_comment(page, comment):
    return page.evaluate(
        "(id) => document.querySelector(`#comment-${id} > .comment-body`)"
        ".nextElementSibling?.id === 'respond'",
        comment.pk,
    )


@both_widths
@javascript_on_and_off
def test_reply_opens_the_form_under_the_comment_and_cancel_puts_it_back(
    open_page, javascript, viewport
):
    article, answered = conversation()
    page = open_page(article.get_absolute_url(), javascript=javascript, viewport=viewport)

    reply_link(page, answered).click()

    expect(page).to_have_url(re.compile(rf"replytocom={answered.pk}#respond$"))
    assert form_follows_the_comment(page, answered)
    form = page.locator("#respond")
    heading = form.get_by_role("heading", name="Reply to Ana Costa")
    expect(heading).to_be_in_viewport()
    expect(form.locator("blockquote")).to_have_text(ANSWERED)
    # The end of the comment answered stays in view above the form.
    expect(page.locator(f"#comment-{answered.pk} .comment-content")).to_be_in_viewport()
    expect(page.locator("#respond")).to_have_count(1)

    form.get_by_role("link", name="Cancel reply").click()

    expect(page).to_have_url(re.compile(rf"{article.get_absolute_url()}#comment-{answered.pk}$"))
    expect(page.get_by_role("heading", name="Leave a Reply")).to_have_count(1)
    expect(page.locator(f"#comment-{answered.pk} #respond")).to_have_count(0)
    expect(page.locator(f"#comment-{answered.pk} .comment-content")).to_be_in_viewport()


@both_widths
@javascript_on_and_off
@pytest.mark.parametrize("earlier_replies", [0, 3], ids=["first-reply", "after-3-replies"])
def test_after_posting_a_reply_the_comment_answered_and_the_reply_are_in_view(
    open_page, javascript, viewport, earlier_replies
):
    article, answered = conversation()
    for number in range(earlier_replies):
        CommentFactory(
            article=article,
            parent=answered,
            author_name=f"Replier {number}",
            body="An earlier answer.\n\nIn two paragraphs, as people write.",
        )
    page = open_page(article.get_absolute_url(), javascript=javascript, viewport=viewport)
    reply_link(page, answered).click()

    reply_id = post_comment(
        page, comment="And the 8:10 now leaves at 8:25.", name="Tom", email="tom@example.com"
    )

    reply = page.locator(f"#comment-{answered.pk} #comment-{reply_id}")
    expect(reply.locator(".comment-body")).to_be_in_viewport(ratio=1)
    expect(reply).to_contain_text("Your comment is awaiting moderation.")
    expect(
        page.locator(f"#comment-{answered.pk} > .comment-body .comment-content")
    ).to_be_in_viewport(ratio=1)
    assert Comment.objects.get(pk=reply_id).parent_id == answered.pk


def small_targets(page, selector):
    """The boxes under 24×24 CSS px among the visible elements matching `selector`."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)]
            .filter((el) => el.getClientRects().length && el.checkVisibility())
            .map((el) => [el, el.getBoundingClientRect()])
            .filter(([, box]) => box.width < 24 || box.height < 24)
            .map(([el, box]) => `${el.outerHTML.slice(0, 80)} is ${box.width}×${box.height}`)""",
        selector,
    )


TAP_TARGETS = (
    ".comment-reply-link, .comment-permalink, .comment-author a, #cancel-comment-reply-link,"
    " .comments-feed a, .comment-navigation a, #respond textarea, #respond button,"
    # The honeypot is out of sight on purpose; every other field counts.
    " #respond input:not([type=hidden]):not([name=subject])"
)


@javascript_on_and_off
def test_reply_links_and_form_controls_are_at_least_24_px_on_a_phone(
    open_page, javascript, settings
):
    settings.COMMENTS_PER_PAGE = 5  # page links too
    article, answered = conversation()
    page = open_page(article.get_absolute_url(), javascript=javascript, viewport=PHONE_390)
    expect(page.locator(".comment-navigation a")).to_have_count(2)  # top and bottom

    assert small_targets(page, TAP_TARGETS) == []
    box = reply_link(page, answered).bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24

    reply_link(page, answered).click()
    expect(page.locator("#cancel-comment-reply-link")).to_be_visible()
    assert small_targets(page, TAP_TARGETS) == []


@javascript_on_and_off
def test_website_given_as_a_bare_domain_is_taken_as_https(open_page, javascript):
    article = ArticleFactory()
    page = open_page(article.get_absolute_url(), javascript=javascript, viewport=PHONE_390)

    comment_id = post_comment(
        page, comment="Hello", name="Jo", email="jo@example.com", website="jo.example"
    )

    assert Comment.objects.get(pk=comment_id).author_url == "https://jo.example"
    expect(page.locator(f"#comment-{comment_id}").get_by_role("link", name="Jo")).to_have_attribute(
        "href", "https://jo.example"
    )


@javascript_on_and_off
def test_website_with_another_scheme_is_refused_next_to_the_field(open_page, javascript):
    article = ArticleFactory()
    page = open_page(article.get_absolute_url(), javascript=javascript)
    fill_comment_form(
        page, comment="Hello", name="Jo", email="jo@example.com", website="javascript:alert(1)"
    )

    with page.expect_navigation() as navigation:
        page.locator("#respond").get_by_role("button", name="Post Comment").click()

    assert navigation.value.status == 400
    website = comment_field(page, "website")
    expect(website).to_have_attribute("aria-invalid", "true")
    # Exact: the error summary repeats it after "Website: ".
    refused = "Enter a web address, such as jo.example or https://jo.example/blog."
    expect(page.locator("#respond").get_by_text(refused, exact=True)).to_be_visible()
    expect(website).to_have_value("javascript:alert(1)")
    assert not Comment.objects.exists()


@both_widths
def test_form_fields_are_as_wide_as_the_text_column(open_page, viewport):
    article, _ = conversation()
    page = open_page(article.get_absolute_url(), viewport=viewport)

    column = page.locator(".article-body").bounding_box()["width"]
    fields = page.locator("#commentform .field").locator(
        "input:not([type=checkbox]):not([name=subject]), textarea"
    )
    expect(fields).to_have_count(4)
    widths = [box["width"] for box in (field.bounding_box() for field in fields.all())]
    assert all(abs(width - column) < 1 for width in widths), (column, widths)


@both_widths
def test_form_notes_reply_and_feed_links_share_the_labels_type(open_page, viewport):
    article, _ = conversation()
    page = open_page(article.get_absolute_url(), viewport=viewport)

    def font(selector):
        return page.locator(selector).first.evaluate(
            "(el) => { const s = getComputedStyle(el); return [s.fontFamily, s.fontSize]; }"
        )

    label_family, label_size = font("#commentform label[for=id_name]")
    for selector in (".comment-notes", ".comment-reply-link", ".comments-feed a"):
        family, size = font(selector)
        assert family == label_family, selector
        assert size == label_size, selector
