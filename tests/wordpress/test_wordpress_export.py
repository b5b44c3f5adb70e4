"""An export as WordPress 6.1's exporter writes one (data/wordpress-6.1-newsroom.xml: block
and classic posts, a page with a child page, parent and child categories, tags, two
authors, a featured image, sticky, password-protected, scheduled, draft and private posts,
comments in every state): after the import, every address WordPress served for each item
answers 200, or 301 to a 200 (feeds with a feed's content type), what readers may not see
stays not found, and `--redirect-map` lists every item's addresses."""

import csv
from pathlib import Path

import pytest

from articles.models import Article, Page
from comments.models import Comment
from tests.images import jpeg_with_gps_and_rotation

from .test_import_media import put

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent / "data" / "wordpress-6.1-newsroom.xml"
OLD = "https://old-news.example"
FEED_TYPES = ("application/rss+xml", "application/atom+xml")

# What WordPress served for the public items of the export, by item.
POSTS = {
    10: "/2022/03/14/council-passes-the-budget/",
    11: "/2022/03/15/harbour-reopens/",
    12: "/2022/03/16/the-leaked-memo/",
}
PAGES = {30: "/about/", 31: "/about/team/"}
CATEGORIES = {3: "/category/news/", 4: "/category/news/politics/"}
TAGS = ["budget", "council", "harbour"]
AUTHORS = {1: "alice", 2: "bob"}
ATTACHMENT = (20, "/2022/03/14/council-passes-the-budget/boats-in-the-harbour/")
NOT_PUBLIC = {13: f"{OLD}/?p=13", 14: f"{OLD}/?p=14", 15: f"{OLD}/2022/03/17/staff-rota/"}


@pytest.fixture
def imported(import_wxr, tmp_path, settings):
    settings.SITE_URL = "http://testserver"
    settings.ALLOWED_HOSTS = ["testserver"]
    uploads = tmp_path / "uploads"
    put(
        uploads,
        "wp-content/uploads/2022/03/boats-in-the-harbour.jpg",
        jpeg_with_gps_and_rotation((1200, 800)),
    )
    redirect_map = tmp_path / "map.csv"
    output = import_wxr(EXPORT, "--media-dir", str(uploads), "--redirect-map", str(redirect_map))
    with open(redirect_map, newline="", encoding="utf-8") as rows:
        return output, list(csv.DictReader(rows))


def answer(client, path):
    """What answers `path`: itself with 200, or one 301 to an address that answers 200."""
    response = client.get(path)
    if response.status_code == 301:
        location = response["Location"]
        response = client.get(location)
        assert response.status_code == 200, (path, location)
    assert response.status_code == 200, path
    return response


def feed(client, path):
    response = answer(client, path)
    assert response["Content-Type"].split(";")[0] in FEED_TYPES, path
    return response


def test_the_summary_tells_what_came_across(imported):
    output, _ = imported

    assert "Articles: 6 created (2 draft, 3 published, 1 scheduled), 0 already imported." in output
    assert "Comments: 6 created (3 approved, 1 pending, 1 removed, 1 spam)" in output
    assert "Pages: 2 created (2 published), 0 already imported." in output
    assert "Skipped 1: pingbacks." in output


def test_each_published_post_answers_on_every_wordpress_address(client, imported):
    for post_id, path in POSTS.items():
        article = Article.objects.get(wordpress_id=post_id)
        page = answer(client, path)
        assert article.title.encode() in page.content
        assert client.get(f"/?p={post_id}")["Location"] == article.get_absolute_url()
        local = article.published_at
        for archive in (f"/{local:%Y}/", f"/{local:%Y/%m}/", f"/{local:%Y/%m/%d}/"):
            answer(client, archive)
        answer(client, f"{path}comment-page-1/")
        if article.is_protected:
            # Nothing of a protected article goes out in a feed, its comments' neither.
            assert client.get(f"{path}feed/").status_code == 404
            assert b"password" in page.content.lower()
            assert b"The memo, in full" not in page.content
        else:
            feed(client, f"{path}feed/")


def test_block_and_classic_content_come_across_as_html(client, imported):
    budget = answer(client, POSTS[10]).content.decode()
    assert "<h2>What changes</h2>" in budget and "wp:paragraph" not in budget
    harbour = answer(client, POSTS[11]).content.decode()
    assert "<p>Fishing boats were the first out." in harbour
    assert "[caption" not in harbour


def test_the_sticky_post_leads_and_the_featured_image_shows(client, imported):
    harbour = Article.objects.get(wordpress_id=11)
    budget = Article.objects.get(wordpress_id=10)

    assert harbour.is_lead_story
    assert budget.featured_image is not None
    assert budget.featured_image.alt_text == "Fishing boats moored at the harbour wall"
    front = client.get("/").content.decode()
    assert front.index(harbour.title) < front.index(budget.title)


def test_scheduled_draft_and_private_posts_stay_out_of_sight(client, imported):
    for post_id, link in NOT_PUBLIC.items():
        article = Article.objects.get(wordpress_id=post_id)
        assert not article.is_published, post_id
        assert client.get(f"/?p={post_id}").status_code == 404, post_id
        path = link.removeprefix(OLD)
        if not path.startswith("/?"):
            assert client.get(path).status_code == 404, path
    assert Article.objects.get(wordpress_id=13).is_scheduled


def test_comments_in_every_state_keep_it(client, imported):
    statuses = dict(Comment.objects.values_list("wordpress_id", "status"))
    assert statuses == {
        101: "approved",
        102: "approved",
        103: "pending",
        104: "spam",
        105: "removed",
        107: "approved",
    }
    reply = Comment.objects.get(wordpress_id=102)
    assert reply.parent.wordpress_id == 101
    page = answer(client, POSTS[10]).content.decode()
    assert "About time the wall was fixed." in page
    for hidden in ("Still waiting for moderation.", "Buy now", "Binned by a moderator."):
        assert hidden not in page


def test_pages_answer_at_their_paths_and_ids(client, imported):
    for page_id, path in PAGES.items():
        page = Page.objects.get(path=path.strip("/"))
        assert page.title.encode() in answer(client, path).content
        response = client.get(f"/?page_id={page_id}")
        assert response.status_code == 301
        assert response["Location"] == path
    assert Page.objects.get(path="about/team").parent.path == "about"


def test_categories_tags_and_authors_answer_with_their_feeds_and_ids(client, imported):
    for term_id, path in CATEGORIES.items():
        answer(client, path)
        feed(client, f"{path}feed/")
        answer(client, f"/?cat={term_id}")
    for slug in TAGS:
        answer(client, f"/tag/{slug}/")
        feed(client, f"/tag/{slug}/feed/")
        answer(client, f"/?tag={slug}")
    for user_id, login in AUTHORS.items():
        answer(client, f"/author/{login}/")
        feed(client, f"/author/{login}/feed/")
        answer(client, f"/?author={user_id}")


def test_the_featured_images_addresses_lead_to_the_image(client, imported):
    attachment_id, path = ATTACHMENT
    image = Article.objects.get(wordpress_id=10).featured_image

    for old in (path, f"/?attachment_id={attachment_id}"):
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == image.url
        assert client.get(image.url).status_code == 200


def test_site_feeds_answer(client, imported):
    for path in ("/feed/", "/?feed=rss2", "/feed/rss2/", "/comments/feed/", "/?feed=comments-rss2"):
        feed(client, path)


# The redirect map --------------------------------------------------------------------------


def test_the_redirect_map_lists_every_address_of_every_item(imported):
    output, rows = imported
    by_old = {row["old_url"]: row for row in rows}
    assert list(rows[0]) == ["old_url", "new_url", "status"]
    assert f"Redirect map: {len(rows)} old URLs written" in output

    expected = {}  # old URL -> the status it must have now
    for post_id, path in POSTS.items():
        expected[OLD + path] = "200"
        expected[f"{OLD}/?p={post_id}"] = "200"
        expected[f"{OLD}{path}feed/"] = "404" if post_id == 12 else "200"
    expected |= {f"{OLD}/2022/": "200", f"{OLD}/2022/03/": "200", f"{OLD}/2022/03/14/": "200"}
    for page_id, path in PAGES.items():
        expected[OLD + path] = "200"
        expected[f"{OLD}/?page_id={page_id}"] = "200"
    for term_id, path in CATEGORIES.items():
        expected |= {OLD + path: "200", f"{OLD}{path}feed/": "200", f"{OLD}/?cat={term_id}": "200"}
    for slug in TAGS:
        expected |= {
            f"{OLD}/tag/{slug}/": "200",
            f"{OLD}/tag/{slug}/feed/": "200",
            f"{OLD}/?tag={slug}": "200",
        }
    for user_id, login in AUTHORS.items():
        expected |= {
            f"{OLD}/author/{login}/": "200",
            f"{OLD}/author/{login}/feed/": "200",
            f"{OLD}/?author={user_id}": "200",
        }
    attachment_id, path = ATTACHMENT
    expected |= {OLD + path: "200", f"{OLD}/?attachment_id={attachment_id}": "200"}
    expected |= {link: "404" for link in NOT_PUBLIC.values()}
    expected |= {f"{OLD}/feed/": "200", f"{OLD}/?feed=rss2": "200"}

    for old, status in expected.items():
        assert old in by_old, old
        assert by_old[old]["status"] == status, (old, by_old[old])


def test_the_redirect_map_gives_the_address_that_answers(imported):
    _, rows = imported
    by_old = {row["old_url"]: row["new_url"] for row in rows}
    budget = Article.objects.get(wordpress_id=10)
    image = budget.featured_image

    assert by_old[f"{OLD}/?p=10"] == f"http://testserver{budget.get_absolute_url()}"
    assert by_old[f"{OLD}/?page_id=31"] == "http://testserver/about/team/"
    assert by_old[f"{OLD}/category/news/politics/"] == "http://testserver/category/politics/"
    assert by_old[f"{OLD}/?attachment_id=20"] == f"http://testserver{image.url}"
    assert by_old[f"{OLD}/2022/03/14/council-passes-the-budget/feed/"] == (
        f"http://testserver/comments/feed/{budget.pk}/"
    )


def test_a_redirect_map_needs_a_real_import(import_wxr, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a --dry-run"):
        import_wxr(EXPORT, "--dry-run", "--redirect-map", str(tmp_path / "map.csv"))
