from django.db import migrations, models

# PostgreSQL: the weighted text of each article, kept by the database itself in a stored
# generated column (articles.search.DOCUMENT_COLUMN; the model does not declare it, as
# SQLite has no tsvector), under a GIN index. Stored, not an expression index: ranking
# reads the vector of every match, and computing it for each (twice, with the recheck)
# took seconds for a common word over a few thousand articles.
SEARCH_DOCUMENT = """
ALTER TABLE articles_article ADD COLUMN search_document tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, coalesce(standfirst, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(body, '')), 'C')
) STORED
"""
SEARCH_INDEX = "CREATE INDEX article_search ON articles_article USING gin (search_document)"

# SQLite: the FTS5 table articles.search fills from signal receivers (plain text of the
# body, which SQL triggers cannot make), and here from the articles already there.
FTS_TABLE = (
    "CREATE VIRTUAL TABLE article_search USING fts5("
    "title, standfirst, body, tokenize = 'porter unicode61 remove_diacritics 2')"
)


def create_search_index(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(SEARCH_DOCUMENT)
        schema_editor.execute(SEARCH_INDEX)
    elif vendor == "sqlite":
        from articles.search import plain_text

        schema_editor.execute(FTS_TABLE)
        for article in Article.objects.only("title", "standfirst", "body").iterator():
            schema_editor.execute(
                "INSERT INTO article_search (rowid, title, standfirst, body) "
                "VALUES (%s, %s, %s, %s)",
                [article.pk, article.title, plain_text(article.standfirst), plain_text(article.body)],
            )


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("ALTER TABLE articles_article DROP COLUMN search_document")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE article_search")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_media_library"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="is_lead_story",
            field=models.BooleanField(
                default=False,
                help_text="The front page leads with the newest published lead story, larger; "
                "with none, the newest story leads.",
                verbose_name="lead story",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="password",
            field=models.CharField(
                blank=True,
                help_text="Readers see the headline and a password form until they enter it. "
                "Kept out of feeds, the sitemap and search.",
                max_length=255,
            ),
        ),
        migrations.RunPython(create_search_index, drop_search_index, elidable=False),
    ]
