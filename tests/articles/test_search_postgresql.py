"""PostgreSQL: the search reads the GIN index migration 0002 builds, previous/next read the
publication index (skipped on SQLite)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.search import highlighted, search
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL text search"),
]


# An article's worth of words (about 250), so that reading the table costs what it does.
COUNCIL_REPORT = " ".join(
    ["The council met on Tuesday to discuss roads, budgets, bins and the library rota."] * 18
)


def test_the_search_uses_the_gin_index():
    when = timezone.now() - timedelta(days=1)
    Article.objects.bulk_create(
        Article(
            title=f"Council story {n}",
            slug=f"council-story-{n}",
            body=f"<p>{COUNCIL_REPORT} Part {n}.</p>",
            status=Article.Status.PUBLISHED,
            published_at=when,
        )
        for n in range(2000)
    )
    ArticleFactory(title="Lighthouse to reopen")
    sql, params = search("lighthouse").query.sql_with_params()

    with connection.cursor() as cursor:
        # As autovacuum would have by now: new entries into the index proper, statistics.
        cursor.execute("SELECT gin_clean_pending_list('article_search'::regclass)")
        cursor.execute("ANALYZE articles_article")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Bitmap Index Scan on article_search" in plan, plan
    assert "search_document @@" in plan, plan


def test_the_headline_of_stored_html_is_shown_as_text():
    excerpt = "<p>a \x02word\x03 &amp; <em>more</em> &lt;x&gt;</p>"

    assert str(highlighted(excerpt)) == "a <mark>word</mark> &amp; more &lt;x&gt;"


def test_previous_and_next_walk_the_publication_index_from_the_article():
    when = timezone.now() - timedelta(days=30)
    Article.objects.bulk_create(
        Article(
            title=f"Council story {n}",
            slug=f"council-story-{n}",
            status=Article.Status.PUBLISHED,
            published_at=when + timedelta(minutes=n),
        )
        for n in range(2000)
    )
    article = Article.objects.get(slug="council-story-1000")

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        for method in (article.previous_published, article.next_published):
            with CaptureQueriesContext(connection) as queries:
                found = method()
            cursor.execute(f"EXPLAIN {queries[0]['sql']}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Index Scan" in plan, plan
            assert "Seq Scan" not in plan, plan
            assert found.slug in ("council-story-999", "council-story-1001")
