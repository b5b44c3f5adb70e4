"""export_wxr writes a WXR file that our import (and WordPress's) reads back whole."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, Category, Tag
from comments.models import Comment
from tests.factories import ArticleFactory, AuthorFactory, CommentFactory
from wordpress.exporter import cdata

pytestmark = pytest.mark.django_db


def _now():
    # WXR carries dates to the second.
    return timezone.now().replace(microsecond=0)


@pytest.fixture
def site():
    """Articles in every editorial state, and a comment thread in every status."""
    first, second = AuthorFactory(name="Ana Ruiz"), AuthorFactory(name="Bo Chen")
    published = ArticleFactory(
        title="Council & the <budget>",
        standfirst="Cuts ahead & a <late> vote.",
        body="<p>One\ntwo.</p>\n<p>Footnote [1], a [note]x[/note] and a ]]&gt; in text.</p>",
        authors=[second, first],
        published_at=_now() - timedelta(days=3),
        comments_open=False,
    )
    published.tags.add(Tag.objects.create(name="City Hall", slug="city-hall"))
    ArticleFactory(title="Tomorrow", published_at=_now() + timedelta(days=2))
    ArticleFactory(title="Unfinished", status=Article.Status.DRAFT, published_at=None)

    top = CommentFactory(
        article=published,
        body="Top ]]> level\n\nwith <b>markup</b> and https://example.org",
        author_url="https://reader.example/",
        ip_address="2001:db8::1",
        submitted_at=_now() - timedelta(hours=5),
    )
    reply = CommentFactory(article=published, parent=top, submitted_at=_now() - timedelta(hours=4))
    CommentFactory(
        article=published,
        parent=reply,
        status=Comment.Status.PENDING,
        submitted_at=_now() - timedelta(hours=3),
    )
    for status in (Comment.Status.SPAM, Comment.Status.REMOVED):
        CommentFactory(article=published, status=status, submitted_at=_now() - timedelta(hours=2))
    return published


def _snapshot():
    articles = {}
    for article in Article.objects.with_bylines().prefetch_related("tags"):
        comments = [
            (
                c.author_name, c.author_email, c.author_url, c.ip_address, c.body, c.body_html,
                c.status, c.submitted_at, c.parent.body if c.parent else None,
            )
            for c in article.comments.select_related("parent").order_by("submitted_at")
        ]  # fmt: skip
        articles[article.slug] = {
            "title": article.title,
            "standfirst": article.standfirst,
            "body": article.body,
            "status": article.status,
            "published_at": article.published_at,
            "comments_open": article.comments_open,
            "category": (article.category.slug, article.category.name),
            "tags": sorted(t.slug for t in article.tags.all()),
            "byline": [(a.name, a.slug) for a in article.byline_authors],
            "comments": comments,
        }
    return articles


def _empty_the_database():
    Comment.objects.all().delete()
    ArticleAuthor.objects.all().delete()
    Article.objects.all().delete()
    for model in (Author, Category, Tag):
        model.objects.all().delete()


def test_export_then_import_into_an_empty_database_reproduces_the_site(site, tmp_path):
    before = _snapshot()
    path = tmp_path / "backup.xml"
    call_command("export_wxr", str(path), stderr=StringIO())
    _empty_the_database()

    call_command("import_wxr", str(path), stdout=StringIO())

    assert _snapshot() == before
    assert len(before) == 3
    assert len(before[site.slug]["comments"]) == 5


def test_export_writes_to_standard_output_without_a_file(site):
    out = StringIO()

    call_command("export_wxr", stdout=out)

    xml = out.getvalue()
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8" ?>')
    assert "<wp:wxr_version>1.2</wp:wxr_version>" in xml
    assert xml.rstrip().endswith("</rss>")


def test_export_includes_commenters_emails_for_the_operators_backup(site):
    out = StringIO()

    call_command("export_wxr", stdout=out)

    for email in Comment.objects.values_list("author_email", flat=True):
        assert email in out.getvalue()


def test_export_maps_statuses_to_wordpress_values(site):
    out = StringIO()

    call_command("export_wxr", stdout=out)

    xml = out.getvalue()
    for value in ("publish", "future", "draft"):
        assert f"<wp:status>{value}</wp:status>" in xml
    for value in ("1", "0", "spam", "trash"):
        assert f"<wp:comment_approved>{value}</wp:comment_approved>" in xml


def test_cdata_end_marker_in_text_is_split_across_sections():
    assert cdata("a]]>b") == "<![CDATA[a]]]]><![CDATA[>b]]>"


def test_an_article_keeps_its_password_and_lead_through_export_and_import(tmp_path):
    ArticleFactory(slug="closed-session", password="harbour <&> ]]> gate", is_lead_story=True)
    path = tmp_path / "backup.xml"
    call_command("export_wxr", str(path), stderr=StringIO())
    _empty_the_database()

    call_command("import_wxr", str(path), stdout=StringIO())

    article = Article.objects.get(slug="closed-session")
    assert article.is_published
    assert article.password == "harbour <&> ]]> gate"
    assert article.is_lead_story
