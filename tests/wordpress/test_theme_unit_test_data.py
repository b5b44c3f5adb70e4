"""Importing WordPress's own Theme Unit Test export, checked against a plain read of it."""

import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from articles.models import Article
from comments.models import Comment

from .conftest import THEME_UNIT_TEST_DATA

pytestmark = pytest.mark.django_db
WP = "{https://wordpress.org/export/1.2/}"


def _expected():
    """Counts computed independently of the importer, with a plain ElementTree pass."""
    tree = ET.parse(THEME_UNIT_TEST_DATA)  # noqa: S314 -- our own trusted fixture
    articles, comments = Counter(), Counter()
    depths = []
    for item in tree.iter("item"):
        if item.findtext(f"{WP}post_type") != "post":
            continue
        status = item.findtext(f"{WP}status")
        if status in ("publish", "future"):
            # Password-protected posts too: published behind their password.
            articles[status] += 1
        elif status in ("publish", "future", "draft", "pending", "private"):
            articles["draft"] += 1
        parents = {}
        for comment in item.findall(f"{WP}comment"):
            if comment.findtext(f"{WP}comment_type") in ("pingback", "trackback"):
                continue
            comments[comment.findtext(f"{WP}comment_approved")] += 1
            parents[comment.findtext(f"{WP}comment_id")] = comment.findtext(f"{WP}comment_parent")
        for comment_id in parents:
            depth = 0
            while parents.get(comment_id, "0") != "0":
                comment_id = parents[comment_id]
                depth += 1
            depths.append(depth)
    return articles, comments, max(depths)


def _depth(comment):
    depth = 0
    while comment.parent is not None:
        comment = comment.parent
        depth += 1
    return depth


@pytest.fixture
def imported(import_wxr):
    return import_wxr(THEME_UNIT_TEST_DATA)


def test_articles_by_state_match_the_export(imported):
    articles, _, _ = _expected()

    assert Article.objects.published().count() == articles["publish"]
    assert Article.objects.scheduled().count() == articles["future"]
    assert Article.objects.drafts().count() == articles["draft"]


def test_comments_by_status_match_the_export(imported):
    _, comments, _ = _expected()

    assert Comment.objects.approved().count() == comments["1"]
    assert Comment.objects.pending().count() == comments["0"]
    assert Comment.objects.spam().count() == comments["spam"]
    assert Comment.objects.removed().count() == comments["trash"]


def test_reply_threads_keep_their_depth(imported):
    _, _, deepest = _expected()

    assert deepest >= 5
    assert max(_depth(c) for c in Comment.objects.select_related("parent")) == deepest


def test_summary_reports_what_was_skipped_and_why(imported):
    assert "Pages: 21 created (21 published), 0 already imported." in imported
    assert "Skipped 5: comments on pages (pages take no comments here)." in imported
    # 35 image attachments, whose files the export does not hold; 2 other files.
    assert (
        "Attachments whose file was not found beside the export or in --media-dir (35; "
        "their links still point at the old site): 2008/06/canola2.jpg, " in imported
    )
    assert "Skipped 2: attachment items (no equivalent)." in imported
    assert "Skipped 2: pingbacks." in imported
    assert "Skipped 2: trackbacks." in imported


def test_every_published_article_renders(imported, client):
    for article in Article.objects.published():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200, article.wordpress_id


def test_pending_comment_is_not_shown_on_its_article(imported, client):
    pending = Comment.objects.pending().select_related("article").get()
    response = client.get(pending.article.get_absolute_url())

    assert response.status_code == 200
    assert pending.body_html not in response.content.decode()


def test_password_protected_post_is_published_behind_its_password(imported, client):
    article = Article.objects.get(slug="template-password-protected")

    assert article.is_published
    assert article.password == "enter"
    response = client.get(article.wordpress_path, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Template: Password Protected" in page
    assert 'type="password"' in page
    assert "This content, comments, pingbacks, and trackbacks should not be visible" not in page
    assert "This comment should not be visible until the password is entered." not in page


def test_the_password_of_the_export_unlocks_the_imported_post(imported, client):
    article = Article.objects.get(slug="template-password-protected")

    client.post(f"/unlock/{article.pk}/", {"password": "enter"})

    page = client.get(article.get_absolute_url()).content.decode()
    assert "This content, comments, pingbacks, and trackbacks should not be visible" in page
    assert "This comment should not be visible until the password is entered." in page


def test_old_links_of_published_articles_lead_to_them(imported, client):
    for article in Article.objects.published():
        assert article.wordpress_path
        response = client.get(article.wordpress_path)
        if article.wordpress_path != article.get_absolute_url():
            assert response.status_code == 301, article.wordpress_path
            assert response["Location"] == article.get_absolute_url()
        response = client.get(f"/?p={article.wordpress_id}")
        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()


def test_old_links_of_drafts_and_scheduled_articles_stay_not_found(imported, client):
    hidden = Article.objects.exclude(pk__in=Article.objects.published())
    assert hidden.exists()
    for article in hidden:
        assert client.get(f"/?p={article.wordpress_id}").status_code == 404
        if article.wordpress_path:
            assert client.get(article.wordpress_path).status_code == 404


def test_the_sticky_post_is_the_lead_story(imported):
    assert list(Article.objects.filter(is_lead_story=True).values_list("slug", flat=True)) == [
        "template-sticky"
    ]
