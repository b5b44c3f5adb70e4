from datetime import UTC, datetime

import pytest

from articles.models import Article, Author
from comments.models import Comment

from .conftest import wxr_comment, wxr_post

pytestmark = pytest.mark.django_db


def _thread():
    return (
        wxr_comment(11, content="First!")
        # A reply listed before its parent: order in the file must not matter.
        + wxr_comment(13, parent=12, content="Reply to a reply.")
        + wxr_comment(12, parent=11, content="Reply.")
        + wxr_comment(14, approved="0", content="Held.")
        + wxr_comment(15, approved="spam", content="Buy now.")
        + wxr_comment(16, approved="trash", content="Removed.")
        + wxr_comment(17, type_="pingback", content="Linked from elsewhere.")
    )


def test_importing_the_same_file_twice_creates_nothing_new(write_wxr, import_wxr):
    path = write_wxr(wxr_post(1, comments=_thread()), wxr_post(2, status="draft"))
    import_wxr(path)
    counts = (Article.objects.count(), Comment.objects.count(), Author.objects.count())

    output = import_wxr(path)

    assert (Article.objects.count(), Comment.objects.count(), Author.objects.count()) == counts
    assert "0 created (none), 2 already imported" in output


def test_an_interrupted_import_is_resumed_by_running_it_again(write_wxr, import_wxr):
    import_wxr(write_wxr(wxr_post(1, comments=wxr_comment(11)), name="first.xml"))

    import_wxr(write_wxr(wxr_post(1, comments=wxr_comment(11) + wxr_comment(12, parent=11))))

    reply = Comment.objects.get(wordpress_id=12)
    assert reply.parent == Comment.objects.get(wordpress_id=11)
    assert Comment.objects.count() == 2


def test_dry_run_reports_and_writes_nothing(write_wxr, import_wxr):
    path = write_wxr(wxr_post(1, comments=_thread()))

    output = import_wxr(path, "--dry-run")

    assert "Dry run: nothing was written" in output
    assert "Articles: 1 created (1 published)" in output
    assert "Comments: 6 created" in output
    assert not Article.objects.exists()
    assert not Comment.objects.exists()
    assert not Author.objects.exists()


def test_comment_statuses_are_mapped_and_pingbacks_skipped(write_wxr, import_wxr):
    output = import_wxr(write_wxr(wxr_post(1, comments=_thread())))

    statuses = dict(Comment.objects.values_list("wordpress_id", "status"))
    assert statuses == {
        11: "approved", 12: "approved", 13: "approved",
        14: "pending", 15: "spam", 16: "removed",
    }  # fmt: skip
    assert "Skipped 1: pingbacks." in output


def test_replies_keep_their_thread(write_wxr, import_wxr):
    import_wxr(write_wxr(wxr_post(1, comments=_thread())))

    reply_to_reply = Comment.objects.get(wordpress_id=13)
    assert reply_to_reply.parent.wordpress_id == 12
    assert reply_to_reply.parent.parent.wordpress_id == 11
    assert reply_to_reply.parent.parent.parent is None


def test_comment_keeps_its_author_details_date_and_rendered_body(write_wxr, import_wxr):
    import_wxr(write_wxr(wxr_post(1, comments=wxr_comment(21, content="Line one\n\nTwo"))))

    comment = Comment.objects.get()
    assert comment.author_name == "Reader 21"
    assert comment.author_email == "reader21@readers.example"
    assert comment.author_url == "https://reader.example/"
    assert comment.ip_address == "192.0.2.21"
    assert comment.submitted_at == datetime(2020, 5, 2, 10, 0, 21, tzinfo=UTC)
    assert comment.body_html == "<p>Line one</p>\n\n<p>Two</p>"


def test_post_statuses_map_to_editorial_states(write_wxr, import_wxr):
    import_wxr(
        write_wxr(
            wxr_post(1, status="publish"),
            wxr_post(2, status="future", date_gmt="2999-01-01 09:00:00"),
            wxr_post(3, status="draft", date_gmt="0000-00-00 00:00:00"),
            wxr_post(4, status="pending"),
            wxr_post(5, status="private"),
            wxr_post(6, status="trash"),
        )
    )

    states = {a.wordpress_id: a.editorial_state for a in Article.objects.all()}
    assert states == {1: "Published", 2: "Scheduled", 3: "Draft", 4: "Draft", 5: "Draft"}
    scheduled = Article.objects.get(wordpress_id=2)
    assert scheduled.published_at == datetime(2999, 1, 1, 9, tzinfo=UTC)
    assert Article.objects.get(wordpress_id=3).published_at is None


def test_published_post_without_gmt_date_uses_its_local_date(write_wxr, import_wxr, settings):
    settings.TIME_ZONE = "Europe/Paris"
    item = wxr_post(1).replace(
        "<wp:post_date_gmt>2020-05-01 10:00:00", "<wp:post_date_gmt>0000-00-00 00:00:00"
    )
    import_wxr(write_wxr(item))

    assert Article.objects.get().published_at == datetime(2020, 5, 1, 8, tzinfo=UTC)


def test_empty_and_clashing_slugs_become_unique(write_wxr, import_wxr):
    import_wxr(
        write_wxr(
            wxr_post(1, title="Budget night", slug=""),
            wxr_post(2, title="Other", slug="budget-night"),
        )
    )

    assert set(Article.objects.values_list("slug", flat=True)) == {
        "budget-night",
        "budget-night-2",
    }


def test_excerpt_becomes_the_standfirst(write_wxr, import_wxr):
    import_wxr(write_wxr(wxr_post(1, excerpt="The <em>short</em> version &amp; more.")))

    assert Article.objects.get().standfirst == "The short version & more."


def test_text_before_the_more_tag_is_the_standfirst_when_there_is_no_excerpt(write_wxr, import_wxr):
    import_wxr(write_wxr(wxr_post(1, content="The teaser.\n<!--more-->\nThe rest.")))

    article = Article.objects.get()
    assert article.standfirst == "The teaser."
    assert "more" not in article.body
    assert "The teaser." in article.body
    assert "The rest." in article.body


def test_author_category_and_tags_are_attached(write_wxr, import_wxr):
    item = wxr_post(1).replace(
        "</item>", '<category domain="post_tag" nicename="city-hall">City Hall</category></item>'
    )
    import_wxr(write_wxr(item))

    article = Article.objects.get()
    assert [a.name for a in article.byline_authors] == ["Ed Itor"]
    assert article.category.slug == "news"
    assert [t.name for t in article.tags.all()] == ["City Hall"]


def test_pages_become_pages_and_attachments_are_skipped_with_a_reason(write_wxr, import_wxr):
    output = import_wxr(
        write_wxr(wxr_post(1, post_type="page"), wxr_post(2, post_type="attachment"))
    )

    assert not Article.objects.exists()
    assert "Pages: 1 created (1 published), 0 already imported." in output
    assert "Skipped 1: attachment items (no equivalent)." in output


def test_body_is_sanitised_after_conversion(write_wxr, import_wxr):
    import_wxr(
        write_wxr(wxr_post(1, content='Hi <script>alert(1)</script> <a href="javascript:x">y</a>'))
    )

    body = Article.objects.get().body
    assert "<script" not in body
    assert "javascript:" not in body


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_older_wxr_versions_are_read(write_wxr, import_wxr, version):
    from .conftest import WXR_HEAD

    head = WXR_HEAD.replace("export/1.2/", f"export/{version}/")
    import_wxr(write_wxr(wxr_post(1, comments=wxr_comment(11)), head=head))

    assert Article.objects.get().wordpress_id == 1
    assert Comment.objects.get().wordpress_id == 11


def test_title_without_an_ascii_slug_gets_one_from_the_post_id(write_wxr, import_wxr):
    import_wxr(write_wxr(wxr_post(77, title="日本語", slug="%e6%97%a5")))

    assert Article.objects.get().slug == "post-77"
