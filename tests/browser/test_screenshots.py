"""Screenshots of an article page for people to look at (tests/browser/screenshots/).

Written on every run, never compared automatically; the test does check that nothing
runs off the side of the screen at either width.
"""

import pytest

from tests.factories import ArticleFactory, CommentFactory

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

# Real links often have no hyphen to break at: a tracking token, a long query string.
LONG_URL = "https://example.com/minutes?session=" + "0123456789abcdef" * 6


@pytest.fixture
def article_with_discussion():
    article = ArticleFactory(
        title="Council approves the new bridge after a twelve-hour meeting",
        standfirst="The vote came after a long night of debate.",
        body="<p>The council met on Tuesday.</p><h2>What happens next</h2>"
        "<p>Work starts in spring.</p><blockquote><p>It is about time.</p></blockquote>",
    )
    first = CommentFactory(
        article=article,
        author_name="Maria Keller",
        author_url="https://example.com/maria",
        body="I was at that meeting.\n\nIt ran past midnight, and <em>nobody</em> left.",
    )
    CommentFactory(article=article, parent=first, author_name="Tom", body="So was I.")
    CommentFactory(article=article, author_name="Li", body=f"The minutes are at {LONG_URL}")
    return article


@pytest.mark.parametrize("name, viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_article_page_fits_the_screen(
    open_page, article_with_discussion, screenshots_folder, name, viewport
):
    page = open_page(article_with_discussion.get_absolute_url(), viewport=viewport)
    page.screenshot(path=screenshots_folder / f"article-{name}.png", full_page=True)

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a {name} screen"
