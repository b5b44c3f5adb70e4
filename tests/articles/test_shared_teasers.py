"""Teasers on search results and listings: each rendered once per content generation and
shared (articles/fragments.py), the search's own excerpt put in for each search."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from tests.factories import ArticleFactory, CategoryFactory, CommentFactory, UserFactory
from tests.images import stored_image

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")

# A search whose teasers are all shared: the count and the results (on SQLite the index,
# then the articles). Rendering them adds their bylines and their comment counts.
SHARED_SEARCH_QUERIES = 2 if connection.vendor == "postgresql" else 3
RENDERED_TEASERS_QUERIES = 2


def search_page(client, terms):
    response = client.get(SEARCH, {"q": terms})
    assert response.status_code == 200
    return response.content.decode()


def teasers(page):
    return re.findall(r'<article class="teaser[^"]*">.*?</article>', page, re.S)


def excerpts(page):
    return re.findall(r'<p class="excerpt">(.*?)</p>', page)


def test_a_second_search_shares_the_teasers_and_skips_their_queries(
    client, django_assert_num_queries
):
    for n in range(8):
        CommentFactory(article=ArticleFactory(title=f"Quarry report {n}"))
    search_page(client, "harbour")  # the section navigation, shared by every page

    with django_assert_num_queries(SHARED_SEARCH_QUERIES + RENDERED_TEASERS_QUERIES):
        first = search_page(client, "quarry")
    with django_assert_num_queries(SHARED_SEARCH_QUERIES):
        second = search_page(client, "quarry")

    assert second == first
    assert len(teasers(second)) == 8
    assert second.count("1 comment</a>") == 8


def test_only_the_teasers_not_shared_yet_are_rendered(client, django_assert_num_queries):
    ArticleFactory(title="Quarry blasting resumes", body="<p>Ferry delayed.</p>")
    search_page(client, "quarry")
    ArticleFactory(title="Ferry timetable", body="<p>Nothing about stone.</p>")
    search_page(client, "harbour")  # the section navigation again, after the change

    with django_assert_num_queries(SHARED_SEARCH_QUERIES + RENDERED_TEASERS_QUERIES):
        page = search_page(client, "ferry")

    assert len(teasers(page)) == 2


def test_an_approved_comment_changes_the_count_on_a_search_result(client):
    article = ArticleFactory(title="Lifeboat launched")
    waiting = CommentFactory(article=article, status=Comment.Status.PENDING)
    assert "No comments" in search_page(client, "lifeboat")

    waiting.approve(by=UserFactory(is_staff=True))

    page = search_page(client, "lifeboat")
    assert "1 comment</a>" in page
    assert "No comments" not in page


def test_an_edited_title_shows_at_once_on_a_search_result(client):
    article = ArticleFactory(title="Lifeboat launched", body="<p>The crew went out.</p>")
    assert ">Lifeboat launched</a>" in search_page(client, "crew")

    article.title = "Lifeboat launched twice"
    article.save()

    assert ">Lifeboat launched twice</a>" in search_page(client, "crew")


def test_each_search_shows_its_own_words_highlighted_in_a_shared_teaser(client):
    ArticleFactory(
        title="Harbour news",
        body="<p>The quarry trucks passed the bakery at dawn, the ferry left late.</p>",
    )

    [quarry] = excerpts(search_page(client, "quarry"))
    [ferry] = excerpts(search_page(client, "ferry"))

    assert "<mark>quarry</mark>" in quarry
    assert "<mark>ferry</mark>" in ferry
    assert "<mark>quarry</mark>" not in ferry


def test_an_excerpt_is_escaped_in_a_shared_teaser(client):
    ArticleFactory(title="Markup", body="<p>Ferry &lt;script&gt;alert(1)&lt;/script&gt;</p>")

    search_page(client, "ferry")
    [excerpt] = excerpts(search_page(client, "ferry"))

    assert "<script>" not in excerpt
    assert "&lt;script&gt;" in excerpt


def test_a_shared_teaser_keeps_its_image_priority_by_its_place_in_the_list(client):
    image = stored_image(size=(1200, 800))
    pictured = ArticleFactory(
        title="Lighthouse keepers",
        body="<p>The keepers' cottages.</p>",
        featured_image=image,
        published_at=timezone.now() - timedelta(days=5),
    )
    ArticleFactory(title="Cottages for sale", body="<p>Near the lighthouse.</p>")

    first = search_page(client, "keepers")  # only the pictured article
    second = search_page(client, "cottages")  # the other one ranks first

    [alone] = teasers(first)
    assert 'fetchpriority="high"' in alone
    [top, below] = teasers(second)
    assert pictured.title not in top
    assert pictured.title in below
    assert 'loading="lazy"' in below
    assert 'fetchpriority="high"' not in below


def test_a_section_page_shares_its_teasers_with_readers_the_page_cache_does_not_serve(
    client, django_assert_num_queries
):
    section = CategoryFactory()
    for n in range(3):
        CommentFactory(article=ArticleFactory(category=section, title=f"Story {n}"))
    # A logged-in reader: never served from the page cache, so each view is rendered.
    client.force_login(UserFactory())
    first = client.get(section.get_absolute_url()).content.decode()
    client.get(section.get_absolute_url())

    # The section and the page's articles; not their bylines nor their comment counts,
    # which come with the shared teasers (the first view asked for them, and the count).
    with django_assert_num_queries(2) as queries:
        again = client.get(section.get_absolute_url()).content.decode()

    assert not any("comments_comment" in query["sql"] for query in queries.captured_queries)

    assert teasers(again) == teasers(first)
    assert again.count("1 comment</a>") == 3


def test_a_protected_article_on_a_listing_shows_no_standfirst_once_shared(client):
    section = CategoryFactory()
    ArticleFactory(category=section, password="secret", standfirst="What the vote decided.")
    client.force_login(UserFactory())

    for _ in range(2):
        page = client.get(section.get_absolute_url()).content.decode()
        [teaser] = teasers(page)
        assert "Password protected" in teaser
        assert "What the vote decided." not in teaser
        assert "comment" not in teaser
