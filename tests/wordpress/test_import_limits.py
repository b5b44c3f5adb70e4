"""An export may hold no more in a field than the site would take from a person: each
field over its limit stops the import with the line and the item, and nothing is
imported. Huge fields are refused while they are read, before they fill the memory."""

import re
import time
import tracemalloc

import pytest
from django.core.management.base import CommandError

from articles.models import Article, Author, Category
from comments.models import Comment

from .conftest import WXR_HEAD, WXR_TAIL, wxr_comment, wxr_post

pytestmark = pytest.mark.django_db

GOOD = wxr_post(1, title="Fine post", comments=wxr_comment(5)) + wxr_post(2, title="Fine too")


def _nothing_imported():
    return not (
        Article.objects.exists()
        or Comment.objects.exists()
        or Author.objects.exists()
        or Category.objects.exists()
    )


def line_of(path, needle):
    """The first line of the file holding `needle`, counted from 1."""
    with open(path, encoding="utf-8") as lines:
        return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_a_comment_longer_than_the_form_allows_stops_the_import(write_wxr, import_wxr):
    long_comment = wxr_comment(10, content="x" * 65_526).replace(
        "<wp:comment_content>", "<wp:comment_content>\n"
    )
    path = write_wxr(GOOD, wxr_post(3, title="Long comments here", comments=long_comment))

    with pytest.raises(CommandError) as refused:
        import_wxr(path)

    line = _content_line(path, 10)
    assert str(refused.value) == (
        f"Line {line}: the text of comment 10 on the item “Long comments here” (post id 3) "
        "is longer than 65,525 characters, the comment form's limit. Nothing was imported."
    )
    assert _nothing_imported()


def _content_line(path, comment_id):
    comment_line = line_of(path, f"<wp:comment_id>{comment_id}</wp:comment_id>")
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if number >= comment_line and "<wp:comment_content>" in line:
                return number
    raise AssertionError("no comment content")


def test_a_comment_as_long_as_the_form_allows_is_imported(write_wxr, import_wxr):
    path = write_wxr(wxr_post(1, comments=wxr_comment(10, content="x" * 65_525)))

    import_wxr(path)

    assert len(Comment.objects.get().body) == 65_525


@pytest.mark.parametrize(
    ("post", "message"),
    [
        (
            wxr_post(3, title="Huge body", content="<p>words</p>" * 500_000),
            "the body of the item “Huge body” is longer than 500,000 characters",
        ),
        (
            wxr_post(3, title="Huge excerpt", excerpt="e" * 5_000_000),
            "the excerpt of the item “Huge excerpt” is longer than 10,000 characters",
        ),
        (
            wxr_post(3, title="T" * 301),
            "the title of the item “T+…” \\(post id 3\\) is longer than 300 characters",
        ),
    ],
    ids=["6 MB body", "5 MB excerpt", "title over 300"],
)
def test_an_article_field_over_its_limit_stops_the_import(write_wxr, import_wxr, post, message):
    path = write_wxr(GOOD, post)

    with pytest.raises(CommandError, match=r"^Line \d+: " + message) as refused:
        import_wxr(path)

    assert "Nothing was imported." in str(refused.value)
    assert _nothing_imported()


def test_a_huge_comment_is_refused_quickly_without_reading_it_into_memory(tmp_path, import_wxr):
    path = tmp_path / "huge.xml"
    before, after = wxr_comment(10, content="SPLIT").split("SPLIT")
    with open(path, "w", encoding="utf-8") as file:
        file.write(WXR_HEAD + GOOD + wxr_post(3, title="Huge comment").split("</item>")[0])
        file.write(before)
        block = "spam " * 200_000  # 1 MB
        for _ in range(50):
            file.write(block)
        file.write(after + "</item>\n" + WXR_TAIL)
    assert path.stat().st_size > 50_000_000

    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(CommandError, match="the text of comment 10 on the item “Huge comment”"):
            import_wxr(path)
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert elapsed < 5
    # The comment form's limit is 65,525 characters: a few MB at most are ever held.
    assert peak < 15_000_000
    assert _nothing_imported()


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        (
            wxr_comment(10).replace("reader10@readers.example", "r" * 239 + "@readers.example"),
            "the email address of comment 10 on the item “Replies” \\(post id 3\\) is longer "
            "than 254 characters, the longest address mail can deliver",
        ),
        (
            wxr_comment(10).replace("Reader 10", "R" * 246),
            "the commenter's name of comment 10 on the item “Replies” \\(post id 3\\) is "
            "longer than 245 characters, the comment form's limit",
        ),
        (
            wxr_comment(10).replace("https://reader.example/", "https://r.example/" + "p" * 190),
            "the website of comment 10 on the item “Replies” \\(post id 3\\) is longer than "
            "200 characters",
        ),
    ],
    ids=["email over 254", "name over 245", "website over 200"],
)
def test_commenter_details_over_the_forms_limits_stop_the_import(
    write_wxr, import_wxr, comment, message
):
    path = write_wxr(GOOD, wxr_post(3, title="Replies", comments=comment))

    with pytest.raises(CommandError, match=r"^Line \d+: " + message):
        import_wxr(path)
    assert _nothing_imported()


def test_an_email_address_of_254_characters_is_imported_whole(write_wxr, import_wxr):
    address = "r" * 238 + "@readers.example"
    path = write_wxr(
        wxr_post(1, comments=wxr_comment(10).replace("reader10@readers.example", address))
    )

    import_wxr(path)

    assert Comment.objects.get().author_email == address


def test_a_name_longer_than_the_site_stores_stops_the_import(write_wxr, import_wxr):
    head = WXR_HEAD.replace("Ed Itor", "E" * 201)
    path = write_wxr(GOOD, head=head)

    with pytest.raises(
        CommandError, match=r"^Line 7: the name of the author “ed” is longer than 200"
    ):
        import_wxr(path)
    assert _nothing_imported()


def test_a_category_name_longer_than_the_site_stores_stops_the_import(write_wxr, import_wxr):
    post = wxr_post(3, title="Odd category").replace("[News]", "[" + "N" * 201 + "]")
    path = write_wxr(GOOD, post)

    with pytest.raises(
        CommandError,
        match="the name of the item “Odd category” \\(post id 3\\) is longer than 200 characters",
    ):
        import_wxr(path)
    assert _nothing_imported()


@pytest.mark.parametrize(
    ("post", "message"),
    [
        (wxr_post(2**63, title="Huge id"), "the post id 9223372036854775808 in the item “Huge id”"),
        (wxr_post(-5, title="Negative id"), "the post id -5 in the item “Negative id”"),
        (
            wxr_post(3, title="Huge comment id", comments=wxr_comment(10**20)),
            "the comment id 100000000000000000000 in the item “Huge comment id”",
        ),
        (
            wxr_post(3, title="Bad parent", comments=wxr_comment(11, parent=-1)),
            r"the reply-to \(parent\) comment id -1 in the item “Bad parent”",
        ),
    ],
    ids=[
        "post id beyond bigint",
        "negative post id",
        "comment id beyond bigint",
        "negative parent",
    ],
)
def test_an_id_wordpress_never_gives_stops_the_import(write_wxr, import_wxr, post, message):
    path = write_wxr(GOOD, post)
    title = post.split("<title>")[1].split("</title>")[0]

    with pytest.raises(CommandError) as refused:
        import_wxr(path)

    assert str(refused.value).startswith(f"Line {line_of(path, f'<title>{title}</title>')}: ")
    assert re.search(message, str(refused.value))
    assert _nothing_imported()
