import re

import pytest

from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

FEEDS = ["/feed/", "/feed/atom/", "/category/town-hall/feed/", "/category/town-hall/feed/atom/"]


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_list_only_published_articles(client, newsroom, url):
    response = client.get(url)

    feed = response.content.decode()
    assert response.status_code == 200
    assert "Harbour wall repairs approved" in feed
    assert "Festival programme announced" not in feed
    assert "Ferry timetable notes" not in feed


def test_rss_feed_is_rss_and_atom_feed_is_atom(client, newsroom):
    assert client.get("/feed/")["Content-Type"].startswith("application/rss+xml")
    assert '<rss version="2.0"' in client.get("/feed/").content.decode()
    assert client.get("/feed/atom/")["Content-Type"].startswith("application/atom+xml")


def test_category_feed_leaves_out_other_sections(client, newsroom):
    ArticleFactory(title="Rovers win the derby", category=CategoryFactory(slug="sport"))

    assert "Rovers win the derby" not in client.get("/category/town-hall/feed/").content.decode()
    assert "Rovers win the derby" in client.get("/category/sport/feed/").content.decode()


def test_feed_of_an_unknown_category_is_not_found(client):
    assert client.get("/category/nothing/feed/").status_code == 404


def test_feed_item_author_is_the_byline_names_without_emails(client):
    ann = AuthorFactory(name="Ann Ash", user=UserFactory(email="ann@staff.example"))
    ArticleFactory(authors=[ann, AuthorFactory(name="Ben Birch")])

    rss = client.get("/feed/").content.decode()
    atom = client.get("/feed/atom/").content.decode()

    assert "<dc:creator" in rss and ">Ann Ash and Ben Birch</dc:creator>" in rss
    assert "<author><name>Ann Ash and Ben Birch</name></author>" in atom
    assert "ann@staff.example" not in rss
    assert "ann@staff.example" not in atom


def test_feed_links_are_absolute_permalinks(client, newsroom):
    rss = client.get("/feed/").content.decode()

    assert f"<link>http://testserver{newsroom['published'].get_absolute_url()}</link>" in rss


def whole_sitemap(client):
    """Every sitemap the index at /sitemap.xml lists, as one text."""
    return "".join(
        client.get(url.removeprefix("http://testserver")).content.decode()
        for url in re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").content.decode())
    )


def test_sitemap_lists_published_articles_and_their_categories_and_authors(client, newsroom):
    sitemap = whole_sitemap(client)

    assert f"http://testserver{newsroom['published'].get_absolute_url()}" in sitemap
    assert "http://testserver/category/town-hall/" in sitemap
    assert "http://testserver/author/mara-okafor/" in sitemap
    assert "festival-programme" not in sitemap
    assert "ferry-notes" not in sitemap
    assert "/preview/" not in sitemap


def test_sitemap_leaves_out_authors_and_categories_without_published_articles(client):
    idle = AuthorFactory(slug="idle-reporter")
    ArticleFactory(
        authors=[idle],
        category=CategoryFactory(slug="empty-section"),
        status="draft",
        published_at=None,
    )

    sitemap = whole_sitemap(client)

    assert "idle-reporter" not in sitemap
    assert "empty-section" not in sitemap


def test_robots_txt_disallows_admin_and_points_to_the_absolute_sitemap(client):
    response = client.get("/robots.txt")

    text = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in text
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
