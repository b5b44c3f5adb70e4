"""Search at /search/?q=: on whichever database the suite runs (SQLite's FTS5 by default,
PostgreSQL's text search with DATABASE_URL); test_search_postgresql.py checks the index."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search import highlighted, match_expression, search
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")


def results(client, terms, **params):
    response = client.get(SEARCH, {"q": terms, **params})
    assert response.status_code == 200
    return response.content.decode()


def found_titles(page):
    return re.findall(r'<h2 class="teaser-title"><a href="[^"]*">([^<]*)</a>', page)


def test_an_empty_search_shows_the_form_alone(client):
    ArticleFactory(title="Harbour wall repairs")

    page = results(client, "")

    assert 'id="search-page-q"' in page
    assert "teaser" not in page
    assert "No articles match" not in page


def test_a_search_finds_published_articles_by_their_words(client):
    ArticleFactory(title="Harbour wall repairs approved", body="<p>Stone from the quarry.</p>")
    ArticleFactory(title="Library opening hours", body="<p>Longer on Saturdays.</p>")

    assert found_titles(results(client, "quarry")) == ["Harbour wall repairs approved"]
    assert found_titles(results(client, "saturdays")) == ["Library opening hours"]


def test_words_are_found_in_other_forms(client):
    ArticleFactory(title="Ferry timetable", body="<p>The ferries were running late.</p>")

    assert found_titles(results(client, "ferry running")) == ["Ferry timetable"]


def test_a_match_in_the_title_ranks_above_one_in_the_body(client):
    ArticleFactory(
        title="Council budget passes",
        body="<p>A long night; the lighthouse was not discussed.</p>",
        published_at=timezone.now() - timedelta(days=1),
    )
    ArticleFactory(
        title="Lighthouse to reopen",
        body="<p>Restored by volunteers.</p>",
        published_at=timezone.now() - timedelta(days=5),
    )

    assert found_titles(results(client, "lighthouse")) == [
        "Lighthouse to reopen",
        "Council budget passes",
    ]


def test_drafts_scheduled_and_protected_articles_are_never_found(client):
    ArticleFactory(title="Draft about the quarry", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(title="Scheduled quarry story", published_at=timezone.now() + timedelta(days=1))
    ArticleFactory(title="Protected quarry story", password="secret")
    ArticleFactory(title="Unpublished later", body="<p>quarry</p>", status=Article.Status.DRAFT)
    ArticleFactory(title="Public quarry story")

    page = results(client, "quarry")

    assert found_titles(page) == ["Public quarry story"]
    assert [article.title for article in search("quarry")[0:10]] == ["Public quarry story"]


def test_an_article_is_found_by_its_new_words_and_no_longer_by_its_old_ones(client):
    article = ArticleFactory(title="Market day", body="<p>Cheese stalls.</p>")
    article.body = "<p>Flower stalls.</p>"
    article.save()

    assert found_titles(results(client, "flower")) == ["Market day"]
    assert found_titles(results(client, "cheese")) == []


def test_a_deleted_article_is_not_found(client):
    ArticleFactory(title="Market day", body="<p>Cheese stalls.</p>").delete()

    assert found_titles(results(client, "cheese")) == []


def test_tag_and_attribute_names_of_the_body_are_not_words_of_the_article(client):
    ArticleFactory(title="Links", body='<p><a href="https://example.org/">A link</a></p>')

    assert found_titles(results(client, "href")) == []
    assert found_titles(results(client, "strong")) == []


def test_the_excerpt_marks_the_words_found(client):
    ArticleFactory(body="<p>The council met to discuss the harbour wall and its repair.</p>")

    page = results(client, "harbour")

    assert "<mark>harbour</mark> wall" in page


def test_hostile_text_in_an_article_is_escaped_in_the_excerpt_and_title(client):
    ArticleFactory(
        title="<script>alert(1)</script> Harbour",
        body="<p>&lt;img src=x onerror=alert(1)&gt; harbour &lt;b&gt;bold&lt;/b&gt;</p>",
    )

    page = results(client, "harbour")
    main = page[page.index("<main") : page.index("</main>")]

    assert "<script>" not in main
    assert "<img" not in main
    assert "<b>" not in main
    assert "onerror=alert(1)&gt;" in main  # shown as text (where the passage starts may vary)
    assert "&lt;script&gt;" in main
    assert "<mark>harbour</mark>" in main


@pytest.mark.skipif(connection.vendor != "sqlite", reason="snippet() of plain text")
def test_highlighted_keeps_only_its_own_marks():
    excerpt = "a \x02word\x03 and \x02 <x> & \x03\x03 <mark>end</mark> \x02"

    html = highlighted(excerpt)

    assert str(html) == (
        "a <mark>word</mark> and <mark> &lt;x&gt; &amp; </mark> &lt;mark&gt;end&lt;/mark&gt;"
    )


def test_what_readers_type_is_never_read_as_search_syntax(client):
    ArticleFactory(title="Quarry", body="<p>Stone.</p>")

    for terms in ['"', "NEAR(", "title:quarry", "quarry OR", "-", "*", "AND", "quarry)"]:
        response = client.get(SEARCH, {"q": terms})
        assert response.status_code == 200, terms
    assert match_expression('quarry" OR title:x') == '"quarry" "OR" "title" "x"'


def test_no_results_get_a_helpful_message(client):
    ArticleFactory(title="Quarry")

    page = results(client, "zeppelin")

    assert "No articles match “zeppelin”." in page
    assert "archive" in page


def test_search_terms_too_long_get_a_clear_error(client):
    response = client.get(SEARCH, {"q": "a" * 201})

    assert response.status_code == 400
    assert "Search for at most 200 characters." in response.content.decode()


def test_results_are_paginated_keeping_the_terms(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    for day in range(5):
        ArticleFactory(
            title=f"Quarry news {day}", published_at=timezone.now() - timedelta(days=day + 1)
        )

    pages = [results(client, "quarry", page=number) for number in (1, 2, 3)]

    assert [len(found_titles(page)) for page in pages] == [2, 2, 1]
    assert "5 articles found." in pages[0]
    assert 'href="?q=quarry&amp;page=2"' in pages[0]
    found = sorted(title for page in pages for title in found_titles(page))
    assert found == [f"Quarry news {day}" for day in range(5)]
    # Past the last page: the last.
    assert found_titles(results(client, "quarry", page=9)) == found_titles(pages[2])


def test_search_pages_are_not_kept_in_the_page_cache(client):
    ArticleFactory(title="Quarry")

    response = client.get(SEARCH, {"q": "quarry"})

    assert "private" in response["Cache-Control"]
    assert "X-Page-Cache" not in response
    assert found_titles(Client().get(SEARCH, {"q": "quarry"}).content.decode()) == ["Quarry"]


def test_search_results_cost_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for n in range(8):
        article = ArticleFactory(title=f"Quarry {n}")
        CommentFactory(article=article)

    # Count, results (on SQLite: the index, then the articles), bylines, section
    # navigation, comment counts.
    with django_assert_max_num_queries(6):
        page = results(client, "quarry")
    assert "1 comment" in page


def test_wordpress_search_address_redirects_to_the_search(client):
    response = client.get("/", {"s": "harbour wall"})

    assert response.status_code == 301
    assert response["Location"] == "/search/?q=harbour+wall"


def test_the_site_header_has_a_search_box_with_a_label(client):
    page = client.get("/").content.decode()

    assert '<form class="search-form site-search" method="get" action="/search/"' in page
    assert '<label class="visually-hidden" for="site-search-q">Search articles</label>' in page


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table")
def test_the_fts_table_holds_the_body_as_plain_text():
    article = ArticleFactory(body="<p>Fish &amp; <strong>chips</strong></p>")

    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM article_search WHERE rowid = %s", [article.pk])
        assert cursor.fetchone() == ("Fish & chips",)


def test_articles_made_with_bulk_create_are_found_once_indexed(client):
    from articles.search import index_articles

    made = Article.objects.bulk_create(
        Article(
            title=f"Lifeboat launched in the night {n}",
            slug=f"lifeboat-{n}",
            body="<p>The crew went out to a yacht off the point.</p>",
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=1),
        )
        for n in range(3)
    )

    index_articles(made)

    assert search("yacht").count() == 3
    assert len(found_titles(results(client, "yacht"))) == 3
