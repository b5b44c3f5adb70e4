"""The benchmark's data set, written with bulk_create so that seeding takes seconds.

Run as `python -m bench.seed` (DATABASE_URL etc. from the environment, schema migrated):
it prints what it made as JSON for bench/run.py. The smoke test calls `seed()` directly at
a small `Scale`.
"""

import io
import json
import os
import random
import sys
from dataclasses import asdict, dataclass
from datetime import timedelta
from urllib.parse import urlencode

BODY_PARAGRAPH = (
    "<p>The council's finance committee met on Tuesday evening to consider the draft budget "
    "for the coming year. Members questioned officers for more than three hours about the "
    "proposed cuts to library opening hours, the rise in parking charges and the plan to "
    "borrow against the value of the old bus depot.</p>"
)
ARTICLE_BODY = (
    BODY_PARAGRAPH * 4
    + "<h2>What happens next</h2>"
    + "<ul><li>A public consultation opens next month.</li>"
    + "<li>The full council votes in March.</li></ul>"
    + BODY_PARAGRAPH * 4
)

# The archive's subjects, one a story, so that a search word matches some articles and not
# all: SEARCH_TERMS is in one subject of eight.
ARCHIVE_SUBJECTS = [
    (
        "Lifeboat crew called out twice in one night",
        "<p>The lifeboat crew launched twice before dawn: first to a yacht with a fouled "
        "propeller off the point, then to a walker cut off by the tide below the cliffs. The "
        "coxswain praised the volunteers, several of whom went straight on to their day jobs.</p>",
    ),
    (
        "Dune fencing goes up on the northern beach",
        "<p>Wardens put up chestnut fencing along the northern dunes to trap blown sand and "
        "keep walkers to the boardwalk while the marram grass recovers from the winter.</p>",
    ),
    (
        "Bakery on Quay Street marks its centenary",
        "<p>The bakery opened its doors a hundred years ago this week, and the family still "
        "starts the ovens at four. Regulars queued along the quay for the anniversary loaf.</p>",
    ),
    (
        "Rovers sign a goalkeeper from the county league",
        "<p>Larkspur Rovers have signed a goalkeeper from the county league on a two-year "
        "deal, after a season in which three keepers shared the shirt between them.</p>",
    ),
    (
        "Street lighting to switch to LED lamps",
        "<p>Every street lamp in the town will be replaced with LED lamps over two years, "
        "which officers say will halve the electricity bill for street lighting.</p>",
    ),
    (
        "Pier Theatre reopens after its restoration",
        "<p>The Pier Theatre reopened with a gala night after eighteen months of restoration "
        "work on its roof, its seats and the painted ceiling above the stalls.</p>",
    ),
    (
        "Ferry operator consults on winter sailings",
        "<p>The ferry operator has opened a consultation on the winter timetable, which would "
        "cut the Sunday sailings from four to two between November and March.</p>",
    ),
    (
        "Tide gauge readings go online",
        "<p>Volunteers have typed up a century of tide gauge readings from the harbour arm, "
        "and the whole series can now be read and downloaded by anyone.</p>",
    ),
]
SEARCH_TERMS = "lifeboat crew"

# What readers write, in the lengths and markup they use: plain text, inline tags, links.
COMMENT_BODIES = [
    "I was at that meeting, and it ran past midnight. Nobody asked about the depot.",
    "Closing the library on Saturdays hits the people who work all week.\n\n"
    "Has anyone costed what it would take to keep it open?",
    "The figures are in the committee papers: https://example.org/papers/budget.pdf",
    "This is <em>exactly</em> what happened last year, and the year before that.",
    "Parking charges again. <strong>Again.</strong> The high street is already half empty, "
    "and every shopkeeper I have spoken to says the same thing: people drive to the retail "
    "park instead, where parking is free.",
    "Thank you for reporting this properly. The local paper used to cover every committee; "
    "now this is the only place I can read what was actually said.",
    "> borrow against the value of the old bus depot\n\nAnd when the depot is sold, what then?",
    "Could you follow up on the consultation dates? The council website still shows last "
    "year's, and the link from the agenda is broken.",
]


@dataclass(frozen=True)
class Scale:
    """How much to seed. The defaults are the figures issue 9 asks for."""

    articles: int = 20
    approved: int = 500  # approved, threaded, on the big article
    pending: int = 500  # on the big article too: must not show
    spam: int = 100  # likewise
    medium: int = 50  # approved, on the medium article
    moderation: int = 10_000  # pending on one more article: the bulk approve's queue
    archive: int = 200  # older articles on ARCHIVE_SUBJECTS, for the search page


SMALL = Scale(articles=6, approved=20, pending=10, spam=5, medium=5, moderation=40, archive=16)

# The share of approved comments at each reply depth (0 = top level); depth stays within
# the default COMMENTS_THREAD_DEPTH of 5.
DEPTH_SHARES = [0.4, 0.3, 0.18, 0.08, 0.04]


def seed(scale: Scale = Scale(), rng_seed: int = 9) -> dict:
    """Write the data set into an empty, migrated database and describe it."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from articles import search
    from articles.models import Article, ArticleAuthor, Author, Category
    from comments.models import Comment
    from comments.rendering import render_comment_body

    rng = random.Random(rng_seed)  # noqa: S311 - the same data set on every run
    now = timezone.now()
    rendered = {body: render_comment_body(body) for body in COMMENT_BODIES}

    def comment(article, status, n, when, parent=None):
        body = COMMENT_BODIES[n % len(COMMENT_BODIES)]
        return Comment(
            article=article,
            parent=parent,
            author_name=f"Reader {n}",
            author_email=f"reader{n}@readers.example",
            body=body,
            body_html=rendered[body],
            status=status,
            submitted_at=when,
            status_changed_at=when if status != Comment.Status.PENDING else None,
            ip_address="127.0.0.1",
            user_agent="bench/seed",
        )

    def threaded(article, count, first_n):
        """`count` approved comments in reply threads, parents created before replies."""
        start = article.published_at + timedelta(minutes=5)
        levels = []
        made = 0
        for depth, share in enumerate(DEPTH_SHARES):
            size = count - made if depth == len(DEPTH_SHARES) - 1 else round(count * share)
            size = max(0, min(size, count - made))
            if depth and not levels[-1]:
                break
            rows = []
            for i in range(size):
                n = first_n + made + i
                parent = rng.choice(levels[-1]) if depth else None
                when = (parent.submitted_at if parent else start) + timedelta(
                    minutes=1 + rng.randrange(600), seconds=i
                )
                rows.append(comment(article, Comment.Status.APPROVED, n, when, parent))
            levels.append(Comment.objects.bulk_create(rows))
            made += size
        return [c for level in levels for c in level]

    with transaction.atomic():
        users = get_user_model().objects
        editor = users.create_user("bench-editor", is_staff=True)
        moderator = users.create_superuser("bench-moderator", "moderator@bench.example")
        author = Author.objects.create(name="Alex Reporter", slug="alex-reporter", user=editor)
        category = Category.objects.create(name="Local politics", slug="local-politics")
        articles = []
        for i in range(scale.articles):
            article = Article.objects.create(
                title=f"Council budget, day {i + 1}: what the committee decided",
                slug=f"council-budget-day-{i + 1}",
                standfirst="Three hours of questions, and the depot is still for sale.",
                body=ARTICLE_BODY,
                category=category,
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(days=i + 1),
            )
            ArticleAuthor.objects.create(article=article, author=author)
            articles.append(article)
        big, medium, empty, posting, queued, pictured, *_ = articles
        pictured.featured_image = featured_image()
        pictured.save(update_fields=["featured_image"])
        archive = Article.objects.bulk_create(
            Article(
                title=f"{ARCHIVE_SUBJECTS[i % len(ARCHIVE_SUBJECTS)][0]} ({i + 1})",
                slug=f"archive-{i + 1}",
                standfirst="From the archive.",
                body=ARCHIVE_SUBJECTS[i % len(ARCHIVE_SUBJECTS)][1] * 3 + ARTICLE_BODY,
                category=category,
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(days=scale.articles + 1 + i),
            )
            for i in range(scale.archive)
        )
        ArticleAuthor.objects.bulk_create(
            ArticleAuthor(article=article, author=author) for article in archive
        )
        # bulk_create sends no post_save: the search index (SQLite's FTS5 table) is filled
        # here, as the site's receivers would have.
        search.index_articles(archive)

        approved = threaded(big, scale.approved, first_n=0)
        n = scale.approved
        hidden = []
        for i in range(scale.pending):
            # Half are replies to approved comments: a hidden reply must not show either.
            parent = rng.choice(approved) if i % 2 and approved else None
            when = big.published_at + timedelta(hours=12, seconds=i)
            hidden.append(comment(big, Comment.Status.PENDING, n + i, when, parent))
        n += scale.pending
        for i in range(scale.spam):
            when = big.published_at + timedelta(hours=13, seconds=i)
            hidden.append(comment(big, Comment.Status.SPAM, n + i, when))
        n += scale.spam
        Comment.objects.bulk_create(hidden)

        threaded(medium, scale.medium, first_n=n)
        n += scale.medium

        queue = []
        for i in range(scale.moderation):
            when = queued.published_at + timedelta(minutes=10, seconds=i)
            queue.append(comment(queued, Comment.Status.PENDING, n + i, when))
        Comment.objects.bulk_create(queue, batch_size=2000)

    return {
        "scale": asdict(scale),
        "front_url": "/",
        "article_urls": {
            str(scale.approved): big.get_absolute_url(),
            str(scale.medium): medium.get_absolute_url(),
            "0": empty.get_absolute_url(),
        },
        # The same article as "0" but for its featured image: the page with and without.
        "plain_article_url": empty.get_absolute_url(),
        "image_article_url": pictured.get_absolute_url(),
        "search_url": "/search/?" + urlencode({"q": SEARCH_TERMS}),
        "search_matches": sum(1 for i in range(scale.archive) if i % len(ARCHIVE_SUBJECTS) == 0),
        "big_article_url": big.get_absolute_url(),
        "posting_article_id": posting.pk,
        "posting_url": posting.get_absolute_url(),
        "big_article_id": big.pk,
        "moderation_article_id": queued.pk,
        "moderator_username": moderator.username,
    }


def featured_image(size=(1600, 900)):
    """An Image stored as an editor's upload is (checked, re-encoded, its renditions made),
    of a picture drawn here: a sky over a sea, a sun, a harbour wall."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageOps

    from articles import imaging
    from articles.media import Image

    width, height = size
    ramp = PILImage.linear_gradient("L").resize(size)
    picture = ImageOps.colorize(ramp, "#f3d9b1", "#1d4f73").convert("RGB")
    draw = ImageDraw.Draw(picture)
    draw.ellipse([width * 0.75, height * 0.15, width * 0.75 + 100, height * 0.15 + 100], "#fff1d0")
    draw.polygon(
        [
            (0, height * 0.55),
            (width * 0.7, height * 0.6),
            (width * 0.7, height * 0.7),
            (0, height * 0.8),
        ],
        fill="#8a8580",
    )
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return Image.objects.store(
        imaging.check_image(out.getvalue()),
        title="Harbour wall (bench)",
        alt_text="The harbour wall under an evening sky.",
        caption="The east harbour wall.",
        credit="Illustration: The Newsroom",
    )


# The moderation queue at newsroom scale (issue 20): comments over many articles and two
# years, in the shares a busy site's table holds them. The queue's first page and its
# counts must not slow down as this grows.
QUEUE_ARTICLES = 2_000
QUEUE_STATUS_SHARES = (("approved", 0.80), ("spam", 0.12), ("pending", 0.05), ("removed", 0.03))
QUEUE_COPY_COLUMNS = (
    "article_id",
    "author_name",
    "author_email",
    "author_url",
    "body",
    "body_html",
    "status",
    "moderation_reason",
    "submitted_at",
    "status_changed_at",
    "ip_address",
    "user_agent",
    "by_staff",
)


def seed_queue(comments: int, rng_seed: int = 20) -> dict:
    """Add `comments` comments (PostgreSQL only) with COPY, in the shares above, then
    VACUUM ANALYZE, as autovacuum does after such a load (statistics for the estimates, the
    visibility map for index-only scans). For bench.inprocess.queue_at_scale."""
    from django.db import connection, transaction
    from django.utils import timezone

    from articles.models import Article
    from comments.models import Comment
    from comments.rendering import render_comment_body

    if connection.vendor != "postgresql":
        raise RuntimeError("the 1,000,000-comment queue is seeded with PostgreSQL's COPY")
    rng = random.Random(rng_seed)  # noqa: S311 - the same data set on every run
    now = timezone.now()
    rendered = {body: render_comment_body(body) for body in COMMENT_BODIES}
    span = timedelta(days=730).total_seconds()
    statuses, shares = zip(*QUEUE_STATUS_SHARES, strict=True)
    reasons = {"pending": "First comment from this address.", "spam": "Too many links."}

    with transaction.atomic():
        first = Article.objects.count()
        Article.objects.bulk_create(
            Article(
                title=f"Scale article {first + i}",
                slug=f"scale-article-{first + i}",
                body=BODY_PARAGRAPH,
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(days=731),
            )
            for i in range(QUEUE_ARTICLES)
        )
        article_ids = list(
            Article.objects.filter(slug__startswith="scale-article-").values_list("pk", flat=True)
        )
        columns = ", ".join(QUEUE_COPY_COLUMNS)
        table = Comment._meta.db_table
        copying = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.connection.cursor().copy(copying) as copy:
            for n in range(comments):
                body = COMMENT_BODIES[n % len(COMMENT_BODIES)]
                status = rng.choices(statuses, shares)[0]
                # In the order they came, as a real table fills: each index grows at its
                # end instead of taking rows all over (seeding twice as fast).
                when = now - timedelta(seconds=span * (1 - (n + rng.random()) / comments))
                copy.write_row(
                    (
                        rng.choice(article_ids),
                        f"Reader {n}",
                        f"reader{n}@readers.example",
                        "",
                        body,
                        rendered[body],
                        status,
                        reasons.get(status, ""),
                        when,
                        None if status == "pending" else when,
                        f"198.51.{n // 256 % 256}.{n % 256}",
                        "bench/seed",
                        False,
                    )
                )
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")
    return {"comments": comments, "articles": len(article_ids)}


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    # `queue N`: the moderation queue at scale, added to a seeded database.
    result = seed_queue(int(sys.argv[2])) if sys.argv[1:2] == ["queue"] else seed()
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
