"""export_wxr streams (issue 22): an archive of any size is written record by record, in
a fixed number of queries and in memory that does not grow with it."""

import tracemalloc
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article, Tag
from comments.models import Comment
from tests.factories import ArticleFactory
from wordpress.exporter import write_wxr

pytestmark = pytest.mark.django_db

ARTICLES = 10


class Sink:
    """A text stream that keeps nothing: what was written, in how many writes, the longest."""

    def __init__(self):
        self.writes = 0
        self.characters = 0
        self.longest = 0
        self.items_closed = 0

    def write(self, text):
        self.writes += 1
        self.characters += len(text)
        self.longest = max(self.longest, len(text))
        self.items_closed += text.count("</item>")


def _archive(comments_each):
    """ARTICLES published articles, tagged, each with `comments_each` comments."""
    now = timezone.now()
    tag = Tag.objects.create(name="Harbour", slug="harbour")
    articles = [
        ArticleFactory(title=f"Story {n}", published_at=now - timedelta(days=n + 1))
        for n in range(ARTICLES)
    ]
    for article in articles:
        article.tags.add(tag)
    Comment.objects.bulk_create(
        (
            Comment(
                article=article,
                author_name=f"Reader {n}",
                author_email=f"reader{n}@readers.example",
                body=f"Comment {n} on {article.title}: the depot is still for sale.",
                body_html=f"<p>Comment {n} on {article.title}: the depot is still for sale.</p>",
                status=Comment.Status.APPROVED,
                submitted_at=article.published_at + timedelta(minutes=n),
            )
            for article in articles
            for n in range(comments_each)
        ),
        batch_size=2000,
    )


def _replace_archive(comments_each):
    Comment.objects.all().delete()
    Article.objects.all().delete()
    Tag.objects.all().delete()
    _archive(comments_each)


def _export():
    sink = Sink()
    with CaptureQueriesContext(connection) as queries:
        write_wxr(sink)
    return sink, len(queries)


def test_export_asks_the_same_queries_for_ten_times_the_comments():
    _archive(comments_each=20)
    small, small_queries = _export()
    _replace_archive(comments_each=200)
    large, large_queries = _export()

    assert small.items_closed == large.items_closed == ARTICLES
    assert large.characters > 5 * small.characters
    assert large_queries == small_queries


def test_export_writes_each_comment_as_it_goes_never_the_whole_document():
    _archive(comments_each=200)

    sink, _ = _export()

    # At least one write per comment, and none holding more than a record.
    assert sink.writes > ARTICLES * 200
    assert sink.longest < 4_000
    assert sink.characters > 100 * sink.longest


def _peak_bytes_of_export():
    write_wxr(Sink())  # a first pass: imports and caches are not the export's memory
    tracemalloc.start()
    try:
        write_wxr(Sink())
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_export_memory_stays_flat_from_4000_to_12000_comments():
    # Rows are read 2,000 at a time, and the chunk read before is still held while the
    # next is fetched: from two full chunks up, only what the exporter itself keeps could
    # grow with the archive.
    _archive(comments_each=400)
    smaller = _peak_bytes_of_export()
    _replace_archive(comments_each=1200)
    larger = _peak_bytes_of_export()

    assert larger < smaller * 1.25
