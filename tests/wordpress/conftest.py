from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

_SHARED_WXR = Path("shared") / "wxr" / "themeunittestdata.wordpress.xml"
# shared/ sits beside the checkout (CI, /work/main); a helper's worktree is a level deeper.
_CANDIDATES = [Path(settings.BASE_DIR).parent / _SHARED_WXR]
_CANDIDATES.append(Path(settings.BASE_DIR).parent.parent / _SHARED_WXR)
THEME_UNIT_TEST_DATA = next((p for p in _CANDIDATES if p.exists()), _CANDIDATES[0])

WXR_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old blog</title><wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login>ed</wp:author_login>
  <wp:author_display_name><![CDATA[Ed Itor]]></wp:author_display_name></wp:author>
"""
WXR_TAIL = "</channel></rss>\n"


def wxr_post(
    post_id,
    *,
    title="A post",
    slug=None,
    status="publish",
    content="Hello.",
    excerpt="",
    date_gmt="2020-05-01 10:00:00",
    link=None,
    comments="",
    post_type="post",
):
    slug = f"post-{post_id}" if slug is None else slug
    link = link or f"https://old.example/2020/05/01/{slug}/"
    return f"""<item><title>{title}</title><link>{link}</link>
<dc:creator><![CDATA[ed]]></dc:creator>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date>{date_gmt}</wp:post_date>
<wp:post_date_gmt>{date_gmt}</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name>
<wp:status>{status}</wp:status><wp:post_type>{post_type}</wp:post_type>
<category domain="category" nicename="news"><![CDATA[News]]></category>
{comments}</item>
"""


def wxr_comment(comment_id, *, parent=0, approved="1", content="Nice post.", type_=""):
    return f"""<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>
<wp:comment_author><![CDATA[Reader {comment_id}]]></wp:comment_author>
<wp:comment_author_email>reader{comment_id}@readers.example</wp:comment_author_email>
<wp:comment_author_url>https://reader.example/</wp:comment_author_url>
<wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>
<wp:comment_date>2020-05-02 10:00:{comment_id % 60:02d}</wp:comment_date>
<wp:comment_date_gmt>2020-05-02 10:00:{comment_id % 60:02d}</wp:comment_date_gmt>
<wp:comment_content><![CDATA[{content}]]></wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>{type_}</wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>
"""


@pytest.fixture
def write_wxr(tmp_path):
    """Write a WXR file holding the given items; returns its path."""

    def write(*items, head=WXR_HEAD, tail=WXR_TAIL, name="export.xml"):
        path = tmp_path / name
        path.write_text(head + "".join(items) + tail, encoding="utf-8")
        return path

    return write


@pytest.fixture
def import_wxr():
    """Run manage.py import_wxr; returns what it printed."""

    def run(path, *args):
        from io import StringIO

        out = StringIO()
        call_command("import_wxr", str(path), *args, stdout=out)
        return out.getvalue()

    return run
