"""axe-core finds no serious or critical problem on the pages readers use.

axe is injected as a script, which our Content-Security-Policy rightly blocks, so these
pages are opened with bypass_csp; the CSP itself is checked by every other browser test.
"""

import pytest

from tests.factories import ArticleFactory, CommentFactory

from .axe import serious_accessibility_violations

pytestmark = pytest.mark.browser


def test_front_page_has_no_serious_accessibility_problems(open_page):
    ArticleFactory.create_batch(3)
    page = open_page("/", bypass_csp=True)

    assert serious_accessibility_violations(page) == []


def test_article_with_comments_has_no_serious_accessibility_problems(open_page):
    article = ArticleFactory()
    parent = CommentFactory(article=article)
    CommentFactory(article=article, parent=parent, body="A reply, with https://example.com/")
    page = open_page(article.get_absolute_url(), bypass_csp=True)

    assert serious_accessibility_violations(page) == []
