"""Plain-text comments take a shortcut past the cleaner; the output must not change."""

import random

import pytest

from comments.rendering import _clean_and_linkify, render_comment_body

SAMPLES = [
    "I was there.",
    "Line one\nline two\n\nNew paragraph.",
    "Quotes \"double\" and 'single', dashes — and émigrés 😀.",
    "See https://example.org/a?b=c and www.example.com or example.net.",
    "(see http://example.org/a_(b)) and (www.example.com/x), then https://example.org.",
    "Mail me: someone@example.org",
    "Time 10:30, ratio 3:1.",
    "Tabs\tand\r\nwindows\rnewlines",
    "Brackets [1] (a) {b} and 100% * ~ ^ | \\ / #",
    "  leading and trailing spaces  ",
    "\n\n",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_plain_text_comment_renders_as_the_full_cleaner_would(text):
    assert render_comment_body(text) == _clean_and_linkify(text)


def test_random_plain_text_renders_as_the_full_cleaner_would():
    rng = random.Random(5)
    alphabet = list("abcXYZ 019.,;:!?'\"()[]{}=+-_/\\#*%$~`^|@\n\r\té—😀\xa0\u2028") + [
        "http://", "www.", ".org", "\n\n", "mailto:",
    ]  # fmt: skip
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        assert render_comment_body(text) == _clean_and_linkify(text), repr(text)


def test_random_plain_text_with_links_renders_as_bleach_would():
    # Links in every spelling the shortcut must agree with bleach on: wrapped in
    # parentheses, followed by punctuation, with ports, queries, fragments and quotes.
    rng = random.Random(11)
    pieces = [
        "http://", "https://", "HTTP://", "www.", "example", ".org", ".co.uk", ":8080",
        "/path", "?q=1", "#top", "(", ")", ",", ".", "'", '"', "-", "_", "é", " ", "\n",
        "\n\n", "x", "1",
    ]  # fmt: skip
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 25)))
        assert render_comment_body(text) == _clean_and_linkify(text), repr(text)


def test_markup_still_goes_through_the_cleaner():
    html = render_comment_body('<script>alert(1)</script><a href="javascript:x">y</a> &amp;')

    assert "<script" not in html
    assert "javascript:" not in html
