"""Hostile or broken files are refused whole: a clear error, and nothing imported."""

import pytest
from django.core.management.base import CommandError

from articles.models import Article, Author, Category
from comments.models import Comment

from .conftest import WXR_HEAD, wxr_comment, wxr_post

pytestmark = pytest.mark.django_db

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
"""


def _nothing_imported():
    return not (
        Article.objects.exists()
        or Comment.objects.exists()
        or Author.objects.exists()
        or Category.objects.exists()
    )


def test_billion_laughs_file_is_refused_and_nothing_imported(write_wxr, import_wxr):
    head = BILLION_LAUGHS + WXR_HEAD.split("\n", 1)[1]
    path = write_wxr(wxr_post(1, title="&lol9;"), head=head)

    with pytest.raises(CommandError, match="declares the XML entity 'lol'"):
        import_wxr(path)
    assert _nothing_imported()


def test_external_entity_file_is_refused_and_nothing_imported(write_wxr, import_wxr):
    head = EXTERNAL_ENTITY + WXR_HEAD.split("\n", 1)[1]
    path = write_wxr(wxr_post(1, content="&secret;"), head=head)

    with pytest.raises(CommandError, match="XML entity 'secret'"):
        import_wxr(path)
    assert _nothing_imported()


def test_malformed_file_names_the_line_and_imports_nothing(write_wxr, import_wxr):
    # Good posts come first, so a half-done import would show.
    good = wxr_post(1, comments=wxr_comment(10)) + wxr_post(2)
    path = write_wxr(good, "<item><title>Broken</titel></item>\n")
    broken_line = path.read_text().splitlines().index("<item><title>Broken</titel></item>") + 1

    with pytest.raises(CommandError, match=f"not well-formed XML.* line {broken_line},"):
        import_wxr(path)
    assert _nothing_imported()


def test_an_undeclared_entity_is_a_clear_error(write_wxr, import_wxr):
    path = write_wxr(wxr_post(1, title="Fish &chips; tonight"))

    with pytest.raises(CommandError, match="undefined entity"):
        import_wxr(path)
    assert _nothing_imported()


def test_a_file_that_is_not_a_wordpress_export_is_refused(tmp_path, import_wxr):
    path = tmp_path / "feed.xml"
    path.write_text('<?xml version="1.0"?><feed><title>Atom</title></feed>')

    with pytest.raises(CommandError, match="not a WordPress export"):
        import_wxr(path)


def test_an_rss_feed_without_wordpress_fields_is_refused(write_wxr, import_wxr):
    path = write_wxr("<item><title>Plain RSS</title></item>", head="<rss><channel>")

    with pytest.raises(CommandError, match="no WordPress"):
        import_wxr(path)
