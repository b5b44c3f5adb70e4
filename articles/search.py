"""Full-text search over what readers may see: PostgreSQL's text search, or SQLite's FTS5.

`search(terms)` is the one entry point; it picks the backend by the database vendor. Both
return the matching articles, best first, for a Paginator (with their section and image;
their bylines are read only for a teaser not shared yet, articles/fragments.py), asking
`Article.objects.published().unprotected()`, the one definition of what may be shown in
full to anyone, which ones those are: drafts, scheduled and password-protected articles are
never found, whatever the index holds. Each result carries `search_rank` and
`search_excerpt`, a passage of the body with the matched words between MARK_START and
MARK_END; `highlighted()` turns it into HTML with only our <mark> elements.

PostgreSQL: a weighted tsvector (title A, standfirst B, body C) that the database keeps in
the stored generated column `search_document` under a GIN index (migration 0002; the model
does not declare it, SQLite having no such type), ranked by ts_rank and excerpted with
ts_headline. Its parser reads HTML tags as tokens of their own that the configuration does
not index, so the stored HTML body needs no plain copy.

SQLite: the FTS5 table `article_search` (rowid = the article's id), ranked by bm25 with the
same weights and excerpted with snippet(). It holds the body as plain text, made in Python
(`plain_text`), so it is kept in sync by signal receivers rather than SQL triggers, which
could only copy the HTML and would index tag and attribute names ("href", "strong").
"""

import html
import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .models import Article

# Control characters no text we show contains: they mark matches in an excerpt until
# highlighted() turns them into <mark> elements.
MARK_START, MARK_END = "\x02", "\x03"
CONFIG = "english"
FTS_TABLE = "article_search"
# bm25() and setweight(): the title counts most, then the standfirst, then the body.
FTS_WEIGHTS = (10.0, 4.0, 1.0)


def search(terms):
    """Published, unprotected articles matching `terms` (as readers type them), best first."""
    return _backend().search(terms)


def _backend():
    """The one place the database vendor decides how to search."""
    return PostgreSQLSearch if connection.vendor == "postgresql" else SQLiteSearch


# PostgreSQL ----------------------------------------------------------------------------


DOCUMENT_COLUMN = "search_document"


def document():
    """The weighted text of an article, as its generated column holds it."""
    column = f"{connection.ops.quote_name(Article._meta.db_table)}.{DOCUMENT_COLUMN}"
    return RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611


class PostgreSQLSearch:
    @staticmethod
    def excerpt_text(excerpt):
        # ts_headline() returns a passage of the stored HTML: its text, markers kept.
        return html.unescape(re.sub(r"<[^>]*>", " ", excerpt))

    @staticmethod
    def connect():
        """Nothing to keep in sync: the database computes the generated column itself."""

    @staticmethod
    def search(terms):
        return _postgresql_search(terms)

    @staticmethod
    def index(articles):
        """Nothing to do: the generated column is computed on insert, bulk or not."""


def _postgresql_search(terms):
    query = SearchQuery(terms, search_type="websearch", config=CONFIG)
    return (
        Article.objects.published()
        .unprotected()
        .alias(document=document())
        .filter(document=query)
        .annotate(
            search_rank=SearchRank(F("document"), query),
            search_excerpt=SearchHeadline(
                "body",
                query,
                config=CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-search_rank", "-published_at", "-id")
        .select_related("category", "featured_image")
    )


# SQLite -------------------------------------------------------------------------------


def match_expression(terms):
    """An FTS5 query of the words in `terms`, each a quoted string (all must match), so
    that nothing a reader types is read as FTS5 syntax (NEAR, column filters, quotes)."""
    words = re.findall(r"\w+", terms)
    return " ".join('"{}"'.format(word.replace('"', '""')) for word in words)


class SQLiteSearch:
    @staticmethod
    def excerpt_text(excerpt):
        # snippet() returns a passage of the plain text the table holds.
        return excerpt

    @staticmethod
    def connect():
        from django.db.models.signals import post_delete, post_save

        post_save.connect(index_article, sender=Article, dispatch_uid="articles.search_index")
        post_delete.connect(unindex_article, sender=Article, dispatch_uid="articles.search_unindex")

    @staticmethod
    def search(terms):
        return _sqlite_search(terms)

    @staticmethod
    def index(articles):
        for article in articles:
            index_article(Article, article)


def _sqlite_search(terms):
    match = match_expression(terms)
    if not match:
        return Article.objects.none()
    return SQLiteResults(match)


class SQLiteResults:
    """The articles matching an FTS5 query, best first, in the shape Paginator takes
    (count() and slices): a page is one query to the index, then its articles.

    The MATCH must drive each query: the ORM would join the table the other way round,
    running the MATCH once per published article (seconds for a common word), and it
    cannot join a virtual table anyway. Whether an article may be shown is still asked
    of the queryset, compiled into the SQL as a correlated EXISTS.
    """

    ordered = True  # for Paginator

    def __init__(self, match):
        self.match = match
        visible = (
            Article.objects.published()
            .unprotected()
            .filter(pk=RawSQL(f"{FTS_TABLE}.rowid", ()))  # noqa: S611
            .values("pk")
        )
        self._visible_sql, self._visible_params = visible.query.sql_with_params()

    def _query(self, columns, column_params=(), rest="", rest_params=()):
        # Names are ours; the reader's words go as a parameter.
        sql = (
            f"SELECT {columns} FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "  # noqa: S608
            f"AND EXISTS ({self._visible_sql}) {rest}"
        )
        params = [*column_params, self.match, *self._visible_params, *rest_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self):
        return self._query("COUNT(*)")[0][0]

    def __getitem__(self, page):
        if not isinstance(page, slice) or page.step is not None:
            raise TypeError("Search results are read a page (a slice) at a time.")
        start = page.start or 0
        weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
        # bm25() is lower for better matches: negated, higher is better, as ts_rank. Ties
        # go to the newer row (the article's date would cost a lookup per match).
        ranked = self._query(
            f"rowid, -bm25({FTS_TABLE}, {weights}) AS search_rank",
            rest="ORDER BY search_rank DESC, rowid DESC LIMIT %s OFFSET %s",
            rest_params=[-1 if page.stop is None else page.stop - start, start],
        )
        # snippet() for this page's articles alone: for every match, it cost more than
        # the rest of the search.
        excerpt = RawSQL(  # noqa: S611
            f"SELECT snippet({FTS_TABLE}, 2, %s, %s, ' … ', 30) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND {FTS_TABLE}.rowid = {Article._meta.db_table}.id",
            (MARK_START, MARK_END, self.match),
        )
        articles = (
            Article.objects.select_related("category", "featured_image")
            .annotate(search_excerpt=excerpt)
            .in_bulk([article_id for article_id, _ in ranked])
        )
        found = []
        for article_id, rank in ranked:
            article = articles[article_id]
            article.search_rank = rank
            found.append(article)
        return found


def plain_text(markup):
    """The text of stored HTML, as a reader reads it: tags gone (each a word break),
    entities decoded, white space collapsed."""
    text = html.unescape(re.sub(r"<[^>]*>", " ", markup or ""))
    return " ".join(text.replace(MARK_START, "").replace(MARK_END, "").split())


def index_article(sender, instance, raw=False, **kwargs):
    """Keep the FTS5 row of a saved article (SQLite only; see the module docstring)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [instance.pk])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, standfirst, body) VALUES (%s, %s, %s, %s)",  # noqa: S608
            [
                instance.pk,
                instance.title,
                plain_text(instance.standfirst),
                plain_text(instance.body),
            ],
        )


def unindex_article(sender, instance, **kwargs):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [instance.pk])  # noqa: S608


def index_articles(articles):
    """Index articles saved without their signals (bulk_create, a raw import): on SQLite
    the FTS5 table is otherwise kept by post_save, which bulk_create does not send."""
    _backend().index(articles)


def connect():
    """Keep the search index in sync, where it needs keeping (from AppConfig.ready())."""
    _backend().connect()


# Both --------------------------------------------------------------------------------

_MARKED = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")


def highlighted(excerpt):
    """A result's excerpt as safe HTML: its text escaped, the matched words in <mark>; no
    other element survives, nor a stray marker."""
    text = _backend().excerpt_text(excerpt or "")
    pieces = []
    position = 0
    for match in _MARKED.finditer(text):
        pieces.append(escape(_spaced(text[position : match.start()])))
        pieces.append(format_html("<mark>{}</mark>", _spaced(match.group(1))))
        position = match.end()
    pieces.append(escape(_spaced(text[position:])))
    return mark_safe("".join(pieces).strip())  # noqa: S308 (every piece is escaped)


def _spaced(text):
    # White space collapsed, keeping one space at either end, where pieces meet.
    return re.sub(r"\s+", " ", text.replace(MARK_START, "").replace(MARK_END, ""))
