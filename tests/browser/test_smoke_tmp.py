import pytest

from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.browser


def test_reader_opens_an_article_from_the_front_page(open_page, screenshots_folder):
    article = ArticleFactory(title="Bridge reopens")
    CommentFactory(article=article)
    page = open_page("/")
    page.get_by_role("link", name="Bridge reopens").click()
    assert page.locator("h1").inner_text() == "Bridge reopens"
    page.screenshot(path=screenshots_folder / "smoke.png", full_page=True)
