"""Anonymous comments are checked by the headers Chromium itself sends (Origin,
Sec-Fetch-Site), not by a cookie token (newsroom/csrf.py)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import ArticleFactory

from .conftest import DESKTOP, PHONE
from .pages import post_comment

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("instant_posting")]


def other_origin(url):
    """The live server under its other loopback name: another site to the browser."""
    parts = urlsplit(url)
    other = "127.0.0.1" if parts.hostname == "localhost" else "localhost"
    return f"{parts.scheme}://{other}:{parts.port}"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_reader_comments_without_any_cookie_from_the_site(open_page, viewport):
    article = ArticleFactory(title="Bus lane opens")
    page = open_page(article.get_absolute_url(), viewport=viewport)

    assert page.context.cookies() == []
    comment_id = post_comment(
        page, comment="Posted with no cookie at all.", name="Ada", email="ada@readers.example"
    )

    assert Comment.objects.get(pk=comment_id).status == Comment.Status.PENDING
    expect(page.locator(f"#comment-{comment_id}")).to_contain_text("awaiting moderation")


def test_a_form_on_another_site_cannot_post_a_comment(chromium, live_server):
    article = ArticleFactory()
    context = chromium.new_context()
    try:
        forger = f"{other_origin(live_server.url)}/forger/"
        # The forger's page, served by the browser itself at the other origin.
        context.route(
            forger,
            lambda route: route.fulfill(
                content_type="text/html",
                body=f'<form method="post" action="{live_server.url}/comments/post/{article.pk}/">'
                '<input name="comment" value="Forged"><input name="name" value="Mallory">'
                '<input name="email" value="m@forger.example"><button>Send</button></form>',
            ),
        )
        page = context.new_page()
        page.goto(forger)
        with page.expect_navigation():
            page.get_by_role("button", name="Send").click()

        expect(page.locator("h1")).to_have_text("Your form was not sent")
        expect(page.locator("main")).to_contain_text("another website")
        assert not Comment.objects.exists()
    finally:
        context.close()
