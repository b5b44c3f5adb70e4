"""WordPress's URL shapes: each old address answers 301 to one of ours that answers 200."""

from datetime import UTC, datetime

import pytest

from articles.models import Article, Author, Category, Image, Tag
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    CommentFactory,
    TagFactory,
)

from .conftest import THEME_UNIT_TEST_DATA, WXR_HEAD, WXR_TAIL, wxr_post

pytestmark = pytest.mark.django_db

FEED_TYPES = ("application/rss+xml", "application/atom+xml")


def redirects_to_a_page(client, old, expected=None):
    """`old` answers 301 to `expected` (when given), which answers 200; returns that answer."""
    response = client.get(old)
    assert response.status_code == 301, old
    location = response["Location"]
    if expected is not None:
        assert location == expected, old
    target = client.get(location)
    assert target.status_code == 200, (old, location)
    return target


def redirects_to_a_feed(client, old, expected=None):
    target = redirects_to_a_page(client, old, expected)
    assert target["Content-Type"].split(";")[0] in FEED_TYPES, old
    return target


@pytest.fixture
def article():
    tag = TagFactory(slug="budget")
    author = AuthorFactory(slug="ed-itor", wordpress_login="editor_ed")
    article = ArticleFactory(
        slug="council-votes",
        category=CategoryFactory(slug="politics"),
        published_at=datetime(2020, 5, 1, 10, tzinfo=UTC),
        wordpress_id=42,
        wordpress_path="/archives/42/",
        authors=[author],
    )
    article.tags.add(tag)
    CommentFactory(article=article)
    return article


def answers_with_a_feed(client, path):
    """A WordPress address that is ours too answers itself; any other redirects to a feed."""
    response = client.get(path)
    if response.status_code == 301:
        response = client.get(response["Location"])
    assert response.status_code == 200, path
    assert response["Content-Type"].split(";")[0] in FEED_TYPES, path


# Feeds -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "expected"),
    [
        ("/?feed=rss2", "/feed/"),
        ("/?feed=rss", "/feed/"),
        ("/?feed=rdf", "/feed/"),
        ("/?feed=atom", "/feed/atom/"),
        ("/?feed=comments-rss2", "/comments/feed/"),
        ("/index.php?feed=rss2", "/feed/"),
        ("/feed/rss2/", "/feed/"),
        ("/feed/rdf/", "/feed/"),
        ("/feed/rss/", "/feed/"),
    ],
)
def test_site_feeds_on_wordpress_addresses_redirect_to_our_feeds(client, article, old, expected):
    redirects_to_a_feed(client, old, expected)


def test_feed_query_is_decided_before_the_front_page_answers_with_html(client, article):
    assert client.get("/?feed=rss2").status_code == 301
    assert client.get("/?feed=no-such-feed").status_code == 404


def test_old_permalink_feed_redirects_to_the_articles_comment_feed(client, article):
    feed = redirects_to_a_feed(client, "/archives/42/feed/", f"/comments/feed/{article.pk}/")
    assert b"Comments on" in feed.content


def test_our_own_permalink_with_feed_redirects_to_the_comment_feed_too(client, article):
    # WordPress's default date permalinks have the shape of our article addresses.
    expected = f"/comments/feed/{article.pk}/"
    redirects_to_a_feed(client, "/2020/05/01/council-votes/feed/", expected)
    redirects_to_a_feed(client, "/2020/05/01/council-votes/feed/atom/", expected)


def test_comment_feed_of_a_protected_article_stays_not_found(client, article):
    Article.objects.filter(pk=article.pk).update(password="secret")

    assert client.get("/archives/42/feed/").status_code == 404


@pytest.mark.parametrize(
    ("old", "expected"),
    [
        ("/tag/budget/feed/", None),
        ("/tag/budget/feed/rss2/", "/tag/budget/feed/"),
        ("/tag/budget/feed/atom/", None),
        ("/category/politics/feed/rdf/", "/category/politics/feed/"),
        ("/author/ed-itor/feed/rss2/", "/author/ed-itor/feed/"),
        ("/author/editor_ed/feed/", "/author/ed-itor/feed/"),
        ("/author/editor_ed/feed/atom/", "/author/ed-itor/feed/atom/"),
    ],
)
def test_section_feeds_answer_on_wordpress_addresses(client, article, old, expected):
    if expected is None:
        response = client.get(old)
        assert response.status_code == 200
        assert response["Content-Type"].split(";")[0] in FEED_TYPES
    else:
        redirects_to_a_feed(client, old, expected)


def test_author_feed_lists_the_authors_articles_only(client, article):
    ArticleFactory(title="Someone else's story")

    feed = client.get("/author/ed-itor/feed/")

    assert feed.status_code == 200
    assert article.title.encode() in feed.content
    assert b"Someone else" not in feed.content


def test_author_page_links_its_feeds(client, article):
    page = client.get("/author/ed-itor/")

    assert b'href="/author/ed-itor/feed/"' in page.content
    assert b'href="/author/ed-itor/feed/atom/"' in page.content


# Archives and pagination -------------------------------------------------------------------


def test_day_archive_lists_that_days_articles(client, article):
    ArticleFactory(title="From another day")

    page = client.get("/2020/05/01/")

    assert page.status_code == 200
    assert article.title.encode() in page.content
    assert b"From another day" not in page.content


def test_day_archive_without_articles_is_not_found(client, article):
    assert client.get("/2020/05/02/").status_code == 404


@pytest.mark.parametrize(
    ("old", "expected"),
    [
        ("/page/1/", "/"),
        ("/category/politics/page/1/", "/category/politics/"),
        ("/tag/budget/page/1/", "/tag/budget/"),
        ("/author/ed-itor/page/1/", "/author/ed-itor/"),
        ("/author/editor_ed/", "/author/ed-itor/"),
    ],
)
def test_wordpress_pagination_redirects_to_our_pages(client, article, old, expected):
    redirects_to_a_page(client, old, expected)


def test_later_wordpress_pages_redirect_to_the_page_parameter(client, settings, article):
    settings.ARTICLES_PER_PAGE = 1
    ArticleFactory(category=article.category)

    redirects_to_a_page(client, "/page/2/", "/?page=2")
    redirects_to_a_page(client, "/category/politics/page/2/", "/category/politics/?page=2")
    redirects_to_a_page(client, "/2020/page/1/", "/2020/")
    redirects_to_a_page(client, "/2020/05/page/1/", "/2020/05/")
    redirects_to_a_page(client, "/2020/05/01/page/1/", "/2020/05/01/")


def test_search_pages_redirect_to_our_search_pages(client, settings, article):
    settings.ARTICLES_PER_PAGE = 1
    ArticleFactory(title="Council votes again")

    redirects_to_a_page(client, "/search/council/page/2/", "/search/?q=council&page=2")


@pytest.mark.parametrize(
    ("old", "expected"),
    [("/?m=2020", "/2020/"), ("/?m=202005", "/2020/05/"), ("/?m=20200501", "/2020/05/01/")],
)
def test_date_query_redirects_to_the_date_archive(client, article, old, expected):
    redirects_to_a_page(client, old, expected)


@pytest.mark.parametrize("bad", ["abc", "20201", "202013", "20200532", "２０２０"])
def test_bad_date_query_is_not_found(client, article, bad):
    assert client.get(f"/?m={bad}").status_code == 404


# Categories, tags, comments, attachments, search -------------------------------------------


def test_hierarchical_category_redirects_to_the_child(client, article):
    CategoryFactory(slug="news")

    redirects_to_a_page(client, "/category/news/politics/", "/category/politics/")
    redirects_to_a_page(client, "/category/news/politics/page/1/", "/category/politics/")
    redirects_to_a_feed(client, "/category/news/politics/feed/", "/category/politics/feed/")


def test_unknown_category_stays_not_found(client, article):
    assert client.get("/category/news/no-such-section/").status_code == 404
    assert client.get("/tag/no-such-tag/page/2/").status_code == 404


def test_tag_query_redirects_to_the_tag_page(client, article):
    redirects_to_a_page(client, "/?tag=budget", "/tag/budget/")
    redirects_to_a_page(client, "/?tag=budget,other", "/tag/budget/")
    assert client.get("/?tag=no-such-tag").status_code == 404


def test_comment_page_redirects_to_that_page_of_the_comments(client, article):
    url = article.get_absolute_url()

    redirects_to_a_page(client, "/archives/42/comment-page-2/", f"{url}?cpage=2#comments")
    redirects_to_a_page(client, f"{url}comment-page-1/", f"{url}?cpage=1#comments")


def test_attachment_page_redirects_to_its_article(client, article):
    url = article.get_absolute_url()

    redirects_to_a_page(client, "/archives/42/a-photo/", url)
    redirects_to_a_page(client, f"{url}a-photo/", url)


def test_nothing_under_a_draft_redirects(client):
    ArticleFactory(status=Article.Status.DRAFT, wordpress_path="/draft/")

    assert client.get("/draft/feed/").status_code == 404
    assert client.get("/draft/comment-page-2/").status_code == 404
    assert client.get("/draft/a-photo/").status_code == 404


def test_search_path_redirects_to_our_search(client, article):
    redirects_to_a_page(client, "/search/council+votes/", "/search/?q=council+votes")
    redirects_to_a_page(client, "/search/caf%C3%A9/", "/search/?q=caf%C3%A9")


def test_posts_are_never_shadowed(client, article):
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.post("/feed/rss2/").status_code == 404


# WordPress's term and user ids ------------------------------------------------------------

AUTHOR_WITH_ID = """<wp:author><wp:author_id>7</wp:author_id><wp:author_login>rita</wp:author_login>
  <wp:author_display_name><![CDATA[Rita Reporter]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>31</wp:term_id><wp:category_nicename>news</wp:category_nicename>
  <wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[News]]></wp:cat_name></wp:category>
"""


@pytest.fixture
def imported_ids(write_wxr, import_wxr):
    path = write_wxr(wxr_post(5), head=WXR_HEAD + AUTHOR_WITH_ID, tail=WXR_TAIL)
    import_wxr(path)
    return path


def test_category_id_query_redirects_to_the_section(client, imported_ids):
    redirects_to_a_page(client, "/?cat=31", "/category/news/")


def test_author_id_query_redirects_to_the_author_page(client, imported_ids):
    redirects_to_a_page(client, "/?author=7", "/author/rita/")


@pytest.mark.parametrize(
    "query", ["cat=32", "cat=abc", "cat=", "author=8", "author=-7", "cat=" + "9" * 30]
)
def test_unknown_or_bad_ids_are_not_found(client, imported_ids, query):
    assert client.get(f"/?{query}").status_code == 404


def test_importing_again_keeps_the_ids_once(client, imported_ids, import_wxr):
    from wordpress.models import ImportedAuthor, ImportedCategory

    import_wxr(imported_ids)

    assert ImportedCategory.objects.filter(wordpress_id=31).count() == 1
    assert ImportedAuthor.objects.filter(wordpress_id=7).count() == 1


# On WordPress's own Theme Unit Test export -------------------------------------------------


def test_every_shape_answers_on_the_theme_unit_test_import(client, import_wxr):
    import_wxr(THEME_UNIT_TEST_DATA)
    article = (
        Article.objects.published()
        .unprotected()
        .exclude(wordpress_path="")
        .order_by("-published_at")
        .first()
    )
    category = Category.objects.get(slug="classic")
    tag = Tag.objects.get(slug="template")
    # The export also credits ">themereviewteam", a login no WordPress address carries.
    author = Author.objects.get(wordpress_login="themedemos")
    day = article.published_at
    old = article.wordpress_path

    for feed in ("rss2", "rdf", "atom", "comments-rss2"):
        redirects_to_a_feed(client, f"/?feed={feed}")
    for path in (
        "/feed/rss2/",
        "/feed/rdf/",
        f"{old}feed/",
    ):
        redirects_to_a_feed(client, path)
    for path in (
        f"/author/{author.wordpress_login}/feed/",
        f"/tag/{tag.slug}/feed/",
        f"/category/{category.slug}/feed/",
        f"/category/parent/{category.slug}/feed/",
    ):
        answers_with_a_feed(client, path)
    assert client.get(f"/{day:%Y/%m/%d}/").status_code == 200
    for path in (
        "/page/2/",
        f"/category/{category.slug}/page/2/",
        f"/tag/{tag.slug}/page/1/",
        f"/author/{author.wordpress_login}/page/1/",
        f"/category/parent/{category.slug}/",
        f"{old}comment-page-1/",
        f"{old}an-attachment/",
        f"/?m={day:%Y%m}",
        f"/?m={day:%Y%m%d}",
        f"/?tag={tag.slug}",
        "/?cat=192",  # The export's term id of "Classic".
        "/search/template/",
    ):
        redirects_to_a_page(client, path)


def test_attachment_id_query_redirects_to_the_imported_image(
    client, settings, write_wxr, import_wxr, tmp_path
):
    from tests.images import jpeg_with_gps_and_rotation

    from .test_import_media import put, wxr_attachment

    uploads = tmp_path / "uploads"
    put(uploads, "wp-content/uploads/2019/03/harbour.jpg", jpeg_with_gps_and_rotation((600, 400)))
    import_wxr(write_wxr(wxr_attachment(50, "2019/03/harbour.jpg")), "--media-dir", str(uploads))
    image = Image.objects.get(wordpress_id=50)

    response = client.get("/?attachment_id=50")

    assert response.status_code == 301
    assert response["Location"] == image.url
    assert (settings.MEDIA_ROOT / image.file.name).is_file()
    assert client.get("/?attachment_id=51").status_code == 404


def test_attachment_page_redirects_to_the_imported_image(client, write_wxr, import_wxr, tmp_path):
    from tests.images import jpeg_with_gps_and_rotation

    from .test_import_media import put, wxr_attachment

    uploads = tmp_path / "uploads"
    put(uploads, "wp-content/uploads/2019/03/harbour.jpg", jpeg_with_gps_and_rotation((600, 400)))
    attachment = wxr_attachment(50, "2019/03/harbour.jpg").replace(
        "https://old.example/?attachment_id=50", "https://old.example/2020/05/01/post-5/harbour/"
    )
    import_wxr(write_wxr(wxr_post(5), attachment), "--media-dir", str(uploads))
    image = Image.objects.get(wordpress_id=50)
    article = Article.objects.get(wordpress_id=5)

    assert client.get("/2020/05/01/post-5/harbour/")["Location"] == image.url
    assert client.get("/2020/05/01/post-5/harbour")["Location"] == image.url
    # Another attachment slug under the post: the article.
    redirects_to_a_page(client, "/2020/05/01/post-5/other/", article.get_absolute_url())
