"""A commenter who uses only the keyboard can reach, fill in and send the form, and can
always see where the focus is."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("instant_posting")]

FOCUS_IS_VISIBLE = """() => {
  const style = getComputedStyle(document.activeElement);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== "none";
}"""


def tab_until(page, selector, limit=80):
    """Press Tab until the focus is on `selector`; every stop on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        assert page.evaluate(FOCUS_IS_VISIBLE), f"no visible focus on {focused}"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def test_comment_form_can_be_filled_in_and_sent_with_the_keyboard_alone(open_page):
    article = ArticleFactory()
    page = open_page(article.get_absolute_url())

    tab_until(page, "#respond textarea")
    page.keyboard.type("Written without a mouse.")
    tab_until(page, "#respond input[autocomplete=name]")
    page.keyboard.type("Keyboard Reader")
    tab_until(page, "#respond input[type=email]")
    page.keyboard.type("keys@readers.example")
    tab_until(page, "#respond [type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"#comment-\d+$"))
    expect(page.locator(".comment", has_text="Written without a mouse.")).to_contain_text(
        "Your comment is awaiting moderation."
    )
