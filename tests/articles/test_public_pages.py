from datetime import timedelta

import pytest
from django.test.utils import override_script_prefix
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db

HIDDEN = ("Festival programme announced", "Ferry timetable notes")


def _public_listing_urls(newsroom):
    published_at = timezone.localtime(newsroom["published"].published_at)
    return [
        reverse("articles:front"),
        reverse("articles:category", kwargs={"slug": "town-hall"}),
        reverse("articles:author", kwargs={"slug": "mara-okafor"}),
        reverse("articles:archive_year", kwargs={"year": published_at.year}),
        reverse(
            "articles:archive_month",
            kwargs={"year": published_at.year, "month": published_at.month},
        ),
    ]


def test_every_listing_shows_the_published_article_and_hides_drafts_and_scheduled(client, newsroom):
    for url in _public_listing_urls(newsroom):
        page = client.get(url).content.decode()
        assert "Harbour wall repairs approved" in page, url
        for title in HIDDEN:
            assert title not in page, url


def test_scheduled_and_draft_articles_have_no_public_page(client, newsroom):
    scheduled_at = timezone.localtime(newsroom["scheduled"].published_at)
    url = reverse(
        "articles:detail",
        kwargs={
            "year": scheduled_at.year,
            "month": scheduled_at.month,
            "day": scheduled_at.day,
            "slug": "festival-programme",
        },
    )
    assert client.get(url).status_code == 404
    today = timezone.localdate()
    draft_url = f"/{today:%Y/%m/%d}/ferry-notes/"
    assert client.get(draft_url).status_code == 404


def test_archive_of_a_month_with_only_a_scheduled_article_is_not_found(client):
    future = timezone.localtime(timezone.now() + timedelta(days=400))
    ArticleFactory(published_at=future)

    response = client.get(
        reverse("articles:archive_month", kwargs={"year": future.year, "month": future.month})
    )

    assert response.status_code == 404


def test_archive_index_links_months_with_published_articles_only(client, newsroom):
    published_at = timezone.localtime(newsroom["published"].published_at)
    ArticleFactory(published_at=timezone.now() + timedelta(days=400))

    page = client.get(reverse("articles:archive")).content.decode()

    month_url = reverse(
        "articles:archive_month", kwargs={"year": published_at.year, "month": published_at.month}
    )
    assert f'href="{month_url}"' in page
    assert page.count("archive-year") == 1


def test_front_page_shows_headline_byline_date_and_standfirst(client):
    author = AuthorFactory(name="Tomasz Wren", slug="tomasz-wren")
    article = ArticleFactory(
        title="Dunes retreat", standfirst="Volunteers measured it.", authors=[author]
    )

    page = client.get("/").content.decode()

    assert "Dunes retreat" in page
    assert "Volunteers measured it." in page
    assert 'By <a href="/author/tomasz-wren/" rel="author">Tomasz Wren</a>' in page
    assert f'<time datetime="{timezone.localtime(article.published_at).isoformat()}">' in page


def test_front_page_is_paginated_with_older_and_newer_links(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for days in range(5):
        ArticleFactory(
            title=f"Story {days} days old", published_at=timezone.now() - timedelta(days=days + 1)
        )

    first = client.get("/").content.decode()
    second = client.get("/?page=2").content.decode()

    assert "Story 0 days old" in first and "Story 2 days old" not in first
    assert 'href="?page=2"' in first and "Older" in first and "Newer" not in first
    assert "Story 2 days old" in second
    assert "Older" in second and "Newer" in second


def test_article_page_byline_joins_two_authors_with_and(client):
    article = ArticleFactory(
        authors=[AuthorFactory(name="Ann Ash"), AuthorFactory(name="Ben Birch")]
    )

    page = client.get(article.get_absolute_url()).content.decode()

    assert "Ann Ash</a> and <a" in page


def test_article_page_byline_lists_three_authors_with_commas_and_and(client):
    article = ArticleFactory(
        authors=[
            AuthorFactory(name="Ann Ash", slug="ann"),
            AuthorFactory(name="Ben Birch", slug="ben"),
            AuthorFactory(name="Cy Cedar", slug="cy"),
        ]
    )

    page = client.get(article.get_absolute_url()).content.decode()

    assert (
        'By <a href="/author/ann/" rel="author">Ann Ash</a>, '
        '<a href="/author/ben/" rel="author">Ben Birch</a> and '
        '<a href="/author/cy/" rel="author">Cy Cedar</a>'
    ) in page


def test_article_page_shows_date_category_link_and_body(client):
    category = CategoryFactory(name="Environment", slug="environment")
    article = ArticleFactory(category=category, body="<p>The tide came in.</p>")

    page = client.get(article.get_absolute_url()).content.decode()

    assert f'<time datetime="{timezone.localtime(article.published_at).isoformat()}">' in page
    assert '<a href="/category/environment/">Environment</a>' in page
    assert "<p>The tide came in.</p>" in page


def test_republished_article_credits_the_original_outlet_with_a_link(client):
    article = ArticleFactory(
        original_outlet="The Saltmarsh Gazette", original_url="https://example.org/tides"
    )

    page = client.get(article.get_absolute_url()).content.decode()

    assert (
        'Originally published at <a href="https://example.org/tides">The Saltmarsh Gazette</a>.'
        in page
    )


def test_republished_article_without_a_url_names_the_outlet_as_text(client):
    article = ArticleFactory(original_outlet="The Saltmarsh Gazette")

    page = client.get(article.get_absolute_url()).content.decode()

    assert "Originally published at The Saltmarsh Gazette." in page


def test_own_article_has_no_attribution(client):
    article = ArticleFactory()

    assert "Originally published" not in client.get(article.get_absolute_url()).content.decode()


def test_article_page_ends_with_the_comments_section(client):
    article = ArticleFactory()

    page = client.get(article.get_absolute_url()).content.decode()

    assert 'id="comments"' in page
    assert page.index('</article>\n<section id="comments"') < page.index("</main>")


def test_comments_section_follows_the_links_to_the_previous_and_next_articles(client):
    older = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=2))

    page = client.get(article.get_absolute_url()).content.decode()

    assert page.index("</article>") < page.index('class="article-sequence"')
    assert page.index(older.get_absolute_url()) < page.index('<section id="comments"')
    assert page.index('</nav>\n<section id="comments"') < page.index("</main>")


def test_author_page_shows_the_bio(client, newsroom):
    page = client.get(reverse("articles:author", kwargs={"slug": "mara-okafor"})).content.decode()

    assert "Covers the town hall." in page


def test_unknown_author_or_category_is_not_found(client):
    assert client.get("/author/nobody/").status_code == 404
    assert client.get("/category/nothing/").status_code == 404


def test_every_page_links_each_category_in_the_navigation(client):
    CategoryFactory(name="Sport", slug="sport")
    CategoryFactory(name="Culture", slug="culture")

    page = client.get("/").content.decode()

    assert '<a href="/category/sport/">Sport</a>' in page
    assert '<a href="/category/culture/">Culture</a>' in page


def test_every_page_has_a_skip_link_and_feed_and_archive_links(client):
    page = client.get("/").content.decode()

    assert '<a class="skip-link" href="#content">' in page
    assert 'id="content"' in page
    assert '<link rel="alternate" type="application/rss+xml"' in page
    assert 'href="/feed/atom/"' in page
    assert 'href="/archive/"' in page


def test_site_links_follow_the_address_the_site_is_served_under(client):
    CategoryFactory(name="Sport", slug="sport")
    # Rendered for this reader each time: the test client gives both the same path, so
    # the page cache would serve the first to the second.
    client.cookies["theme"] = "dark"

    with override_script_prefix("/news/"):
        under_a_prefix = client.get("/").content.decode()
    at_the_root = client.get("/").content.decode()

    assert 'href="/news/feed/"' in under_a_prefix
    assert 'href="/news/archive/"' in under_a_prefix
    assert '<a href="/news/category/sport/">Sport</a>' in under_a_prefix
    assert 'href="/feed/"' in at_the_root
    assert '<a href="/category/sport/">Sport</a>' in at_the_root


def test_category_page_advertises_its_own_feeds(client, newsroom):
    page = client.get("/category/town-hall/").content.decode()

    assert 'href="/category/town-hall/feed/"' in page
    assert 'href="/category/town-hall/feed/atom/"' in page


def test_pages_make_no_third_party_requests(client, newsroom):
    page = client.get(newsroom["published"].get_absolute_url()).content.decode()

    for attribute in ('src="http', "src='http", 'href="//', '<link rel="stylesheet" href="http'):
        assert attribute not in page
    assert "<script src" not in page
