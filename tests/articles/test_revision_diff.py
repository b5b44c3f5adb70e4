"""Comparing two revisions: the body read as text, the changed words marked."""

from articles.revisions import block_lines, compare_text, compare_versions


def marked(lines):
    """A comparison written out: [-removed-] and {+added+}, one entry a line."""
    out = []
    for line in lines:
        text = ""
        for piece in line.pieces:
            if piece.change == "del":
                text += f"[-{piece.text}-]"
            elif piece.change == "ins":
                text += f"{{+{piece.text}+}}"
            else:
                text += piece.text
        out.append((line.kind, text))
    return out


def test_body_is_read_one_block_a_line_with_its_links_and_images():
    body = (
        '<p>The council <a href="https://council.example/">met</a>\n on Tuesday.</p>'
        "<h2>What changes</h2><ul><li><p>Trams</p></li><li>Ferries</li></ul>"
        '<ol start="3"><li>Third</li></ol><blockquote><p>A quote</p></blockquote>'
        '<figure><img src="/media/wall.jpg" alt="The wall"><figcaption>After</figcaption></figure>'
    )

    assert block_lines(body) == [
        "The council met (https://council.example/) on Tuesday.",
        "## What changes",
        "• Trams",
        "• Ferries",
        "3. Third",
        "> A quote",
        "[Image: The wall] /media/wall.jpg",
        "Caption: After",
    ]


def test_markup_the_editor_rewrites_alone_is_no_change():
    before = "<ul>\n<li>Trams</li>\n</ul>"
    after = "<ul><li><p>Trams</p></li></ul>"

    assert [line.kind for line in compare_text(before, after, html=True)] == ["same"]


def test_an_edited_line_shows_the_words_that_changed():
    lines = compare_text("<p>The vote was close.</p>", "<p>The vote was very close.</p>", html=True)

    assert marked(lines) == [("changed", "The vote was {+very +}close.")]


def test_a_rewritten_line_is_shown_removed_and_added():
    lines = compare_text("<p>Short.</p>", "<p>Something else entirely, at length.</p>", html=True)

    assert marked(lines) == [
        ("del", "[-Short.-]"),
        ("ins", "{+Something else entirely, at length.+}"),
    ]


def test_added_and_removed_paragraphs():
    lines = compare_text(
        "<p>One.</p><p>Two.</p>", "<p>One.</p><p>Three.</p><p>Four.</p>", html=True
    )

    assert ("same", "One.") in marked(lines)
    assert ("ins", "{+Four.+}") in marked(lines)


def test_headline_is_compared_as_text_not_markup():
    [headline, standfirst, body] = compare_versions(
        {"title": "Vote <b>tonight</b>", "standfirst": "Same.", "body": ""},
        {"title": "Vote <b>today</b>", "standfirst": "Same.", "body": ""},
    )

    assert marked(headline.lines) == [("changed", "Vote <b>[-tonight-]{+today+}</b>")]
    assert not standfirst.changed and not body.changed
