"""No page a reader or moderator opens reads the articles, taggings or comments table whole.

Each page is requested once (uncached), every SELECT it ran is EXPLAINed with sequential
scans disabled: the planner then still chooses a Seq Scan only where no index can serve
the query, so a missing index fails here whatever the size of the data. PostgreSQL only
(SQLite's planner has no such switch and is not what production runs).
"""

import json
import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from tests.admin.conftest import staff_in
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    CommentFactory,
    PendingCommentFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

WHOLE_TABLES = {"articles_article", "articles_article_tags", "comments_comment"}
EMAIL = "Busy.Reader@readers.example"


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("EXPLAIN with enable_seqscan off: PostgreSQL's planner")


@pytest.fixture
def newsroom(settings):
    """A modest newsroom: 40 articles over two years in two sections, drafts and a
    protected one among them, a tag, an author; an article with 12 threads of comments
    (approved, pending, spam) across pages, and comments on others."""
    settings.ARTICLES_PER_PAGE = 2
    settings.COMMENTS_PER_PAGE = 5
    sections = [CategoryFactory(slug="harbour"), CategoryFactory(slug="sport")]
    tag = TagFactory(slug="ferries")
    author = AuthorFactory(slug="mara")
    now = timezone.now()
    articles = []
    for number in range(40):
        article = ArticleFactory(
            category=sections[number % 2],
            authors=[author],
            title=f"Harbour story {number}",
            published_at=now - timedelta(days=20 * number + 1),
            password="letmein" if number == 7 else "",
            is_lead_story=number == 3,
        )
        article.tags.add(tag)
        articles.append(article)
    ArticleFactory.create_batch(3, status=Article.Status.DRAFT, published_at=None)
    busy = articles[0]
    for _ in range(12):
        thread = CommentFactory(article=busy)
        CommentFactory(article=busy, parent=thread)
    PendingCommentFactory.create_batch(3, article=busy)
    PendingCommentFactory(article=busy, author_email=EMAIL)
    CommentFactory(article=busy, status=Comment.Status.SPAM)
    for article in articles[1:6]:
        CommentFactory(article=article)
        PendingCommentFactory(article=article)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
        cursor.execute("ANALYZE comments_comment")
    year = timezone.localtime(articles[5].published_at)
    return {
        "article": busy,
        "year": f"/{year.year}/",
        "month": f"/{year.year}/{year.month:02d}/",
    }


def whole_table_scans(sql):
    """The tables of WHOLE_TABLES this statement's plan reads sequentially, with
    sequential scans disabled (so only where no index could serve it)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def nodes(node):
        yield node
        for child in node.get("Plans", ()):
            yield from nodes(child)

    return {
        node["Relation Name"]
        for root in plan
        for node in nodes(root["Plan"])
        if node["Node Type"] == "Seq Scan" and node.get("Relation Name") in WHOLE_TABLES
    }


def statements_of(client, url):
    """The SELECTs a request for `url` ran, rendered (not from the page cache)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    selects = [query["sql"] for query in captured.captured_queries]
    selects = [sql for sql in selects if re.match(r"\s*(SELECT|WITH)\b", sql)]
    assert any(table in sql for sql in selects for table in WHOLE_TABLES), url
    return selects


def assert_no_whole_table_reads(client, url):
    scanning = {}
    for sql in statements_of(client, url):
        tables = whole_table_scans(sql)
        if tables:
            scanning[sql[:300]] = tables
    assert scanning == {}, f"{url} reads whole tables"


READER_PAGES = {
    "front page": lambda n: "/",
    "front page, deep": lambda n: "/?page=12",
    "article with comments": lambda n: n["article"].get_absolute_url(),
    "its second page of comments": lambda n: f"{n['article'].get_absolute_url()}?cpage=2",
    "section, deep in its pages": lambda n: "/category/harbour/?page=9",
    "year archive": lambda n: n["year"],
    "month archive": lambda n: n["month"],
    "tag": lambda n: "/tag/ferries/?page=3",
    "author": lambda n: "/author/mara/?page=4",
    "sitemap index": lambda n: "/sitemap.xml",
    "sitemap of articles": lambda n: "/sitemap-articles.xml",
    "sitemap of tags": lambda n: "/sitemap-tags.xml",
    "sitemap of sections": lambda n: "/sitemap-categories.xml",
    "sitemap of authors": lambda n: "/sitemap-authors.xml",
    "site feed": lambda n: "/feed/",
    "comments feed": lambda n: "/comments/feed/",
    "search": lambda n: "/search/?q=harbour",
}


@pytest.mark.parametrize("page", READER_PAGES)
def test_reader_page_reads_no_whole_table(newsroom, page):
    # A cookie of the reader's own: the page is rendered, never served from the cache.
    reader = Client(HTTP_COOKIE="reader=1")

    assert_no_whole_table_reads(reader, READER_PAGES[page](newsroom))


MODERATOR_PAGES = {
    "queue, first page with its counts": lambda n: "/admin/comments/comment/",
    "queue of every status": lambda n: "/admin/comments/comment/?status=all",
    "queue filtered by article": lambda n: f"/admin/comments/comment/?article={n['article'].pk}",
    "queue searched by email": lambda n: f"/admin/comments/comment/?status=all&q={EMAIL}",
}


@pytest.mark.parametrize("page", MODERATOR_PAGES)
def test_moderator_page_reads_no_whole_table(newsroom, page):
    moderator = Client()
    moderator.force_login(staff_in("Moderators"))

    assert_no_whole_table_reads(moderator, MODERATOR_PAGES[page](newsroom))


def test_a_missing_index_is_caught(newsroom):
    # The check itself: a filter no index serves is reported.
    sql = "SELECT id FROM articles_article WHERE standfirst LIKE '%vote%'"

    assert whole_table_scans(sql) == {"articles_article"}
