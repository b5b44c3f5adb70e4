"""Comment text as readers see it: stored as written, rendered once, sanitised."""

import pytest

from comments.models import Comment
from comments.rendering import render_comment_body
from tests.factories import ArticleFactory, CommentFactory


def test_blank_lines_make_paragraphs_and_newlines_line_breaks():
    assert render_comment_body("One\ntwo\n\nThree") == "<p>One<br>two</p>\n\n<p>Three</p>"


@pytest.mark.parametrize(
    "markup",
    [
        "<b>b</b>",
        "<strong>strong</strong>",
        "<em>em</em>",
        "<i>i</i>",
        "<code>code</code>",
        "<del>del</del>",
        "<s>s</s>",
        "<strike>strike</strike>",
        "<cite>cite</cite>",
        "<q>q</q>",
        '<abbr title="British Broadcasting Corporation">BBC</abbr>',
    ],
)
def test_wordpress_inline_tags_are_kept(markup):
    assert render_comment_body(f"Say {markup} here") == f"<p>Say {markup} here</p>"


def test_blockquote_is_kept_as_a_block_of_its_own():
    html = render_comment_body(
        "You wrote:\n<blockquote>The bridge is safe.</blockquote>I doubt it."
    )

    assert html == (
        "<p>You wrote:</p>\n<blockquote>\n<p>The bridge is safe.</p>\n</blockquote>\n"
        "<p>I doubt it.</p>"
    )


def test_script_tags_are_shown_as_text_and_never_run():
    html = render_comment_body("Hi <script>alert(1)</script>")

    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize(
    "written",
    [
        '<b onmouseover="alert(1)">x</b>',
        '<a href="https://a.example" onclick="alert(1)">x</a>',
        '<q cite="https://a.example" style="color:red" onfocus="alert(1)">x</q>',
    ],
)
def test_event_handlers_and_styles_are_removed(written):
    html = render_comment_body(written)

    assert "onmouseover" not in html
    assert "onclick" not in html
    assert "onfocus" not in html
    assert "style=" not in html


def test_tags_outside_the_allowlist_are_escaped():
    html = render_comment_body('<img src="x" onerror="alert(1)"><iframe src="https://e.example">')

    assert "<img" not in html
    assert "<iframe" not in html
    assert "&lt;img" in html


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java&#x09;script:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "ftp://files.example/",
        "/relative/path",
        "//evil.example/",
    ],
)
def test_links_with_other_schemes_lose_their_href(href):
    html = render_comment_body(f'<a href="{href}">click</a>')

    assert "href" not in html
    assert "click" in html


def test_data_url_in_a_quote_citation_is_removed():
    html = render_comment_body(
        '<q cite="data:text/html,hi">x</q><blockquote cite="javascript:x">y</blockquote>'
    )

    assert "data:" not in html
    assert "javascript:" not in html


def test_every_link_is_nofollow_ugc_whatever_was_written():
    html = render_comment_body(
        '<a href="https://a.example" rel="follow me">a</a> <a href="mailto:x@y.example">m</a>'
        " and https://b.example/page"
    )

    assert html.count("<a ") == 3
    assert html.count('rel="nofollow ugc"') == 3
    assert "follow me" not in html


def test_bare_urls_are_linkified():
    html = render_comment_body("Read https://council.example/minutes?year=2026 today.")

    assert (
        '<a href="https://council.example/minutes?year=2026" rel="nofollow ugc">'
        "https://council.example/minutes?year=2026</a>"
    ) in html


def test_bare_www_address_is_linkified_as_http():
    assert 'href="http://www.council.example"' in render_comment_body("www.council.example")


def test_urls_with_other_schemes_are_not_linkified():
    html = render_comment_body("ftp://files.example irc://chat.example javascript:alert(1)")

    assert "<a " not in html


def test_urls_in_code_are_left_alone():
    assert "<a " not in render_comment_body("<code>https://a.example</code>")


def test_commenters_own_paragraph_tags_are_shown_as_text():
    html = render_comment_body("<p onclick=x>hi</p>")

    assert html == "<p>&lt;p onclick=x&gt;hi&lt;/p&gt;</p>"


def test_html_comments_are_dropped():
    assert "secret" not in render_comment_body("a <!-- secret --> b")


@pytest.mark.django_db
def test_comment_is_stored_as_written_and_rendered_once_on_save():
    comment = CommentFactory(body="Hi <script>x</script>")

    assert comment.body == "Hi <script>x</script>"
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.body_html == "<p>Hi &lt;script&gt;x&lt;/script&gt;</p>"


@pytest.mark.django_db
def test_page_shows_the_stored_html_without_rendering_again(client):
    article = ArticleFactory()
    comment = CommentFactory(article=article, body="As written.")
    Comment.objects.filter(pk=comment.pk).update(body_html="<p>Rendered <em>once</em>.</p>")

    html = client.get(article.get_absolute_url()).content.decode()

    assert "<p>Rendered <em>once</em>.</p>" in html
    assert "As written." not in html
