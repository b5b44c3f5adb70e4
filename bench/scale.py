"""`make bench SCALE=large` (issue 22): a national newsroom's archive on PostgreSQL.

After the small set's runs, on a fresh PostgreSQL database of its own: 200,000 published
articles over 20 years in 30 sections with 5,000 tags, 2,000,000 comments (threaded; most
articles with a few, 1,000 with 500 or more, one with 20,000; 100,000 pending, 50,000
spam), written with COPY. Then the same pages as on the small set, cached and uncached,
one connection at a time (so a figure is the time of one request, not a queue), each set
beside the small set's figure for the same page; then export_wxr of the whole archive and
import_wxr of a 1,000,000-comment export, each in a child process whose peak RSS os.wait4
reports.

Run inside the project (DATABASE_URL etc. from the environment) as:
    python -m bench.scale seed            the large data set, into an empty migrated database
    python -m bench.scale small-extras    what the small set lacks for the same pages
    python -m bench.scale session USER    a logged-in session cookie for USER
each printing JSON for bench/run.py.
"""

import json
import os
import random
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from . import load, server, services, wxr

ROOT = Path(__file__).resolve().parent.parent

# Each page's target: its time on the large archive within this many times the small set's.
RATIO_TARGET = 1.5
# One connection: the figure is one request's time (mean = 1 / requests per second), with
# nothing queued behind another; short runs keep the large bench in minutes.
CONNECTIONS = 1
WARMUP_SECONDS = 1
SETTLE_SECONDS = 1.0
# The page cache steps aside for any cookie but csrftoken (as bench.run.CACHE_BYPASS_HEADERS).
BYPASS_COOKIE = "bench=uncached"
REQUEST_HEADERS = {"X-Forwarded-Proto": "https"}

# Paths tried in turn for the sitemaps: the first that answers 200 is measured, so that
# the bench follows the sitemap index when it lands (issue 22) and measures what exists
# until then. Adjust here when the final shape is known.
SITEMAP_INDEX_PATHS = ("/sitemap.xml",)
SITEMAP_PAGE_PATHS = ("/sitemap-articles.xml?p=1", "/sitemap-articles.xml", "/sitemap.xml?p=1")
# Pages whose addresses (<loc>) are counted, to give their time per 1,000 as well: the
# large set's sitemap page holds many more addresses than the small set's.
ADDRESS_COUNTED_PAGES = {"sitemap_page"}


@dataclass(frozen=True)
class LargeScale:
    """How much the large set holds. The defaults are issue 22's figures."""

    articles: int = 200_000
    years: int = 20
    sections: int = 30
    tags: int = 5_000
    comments: int = 2_000_000
    pending: int = 100_000
    spam: int = 50_000
    busy_articles: int = 1_000  # each with 500 or more comments
    busy_min: int = 500
    biggest: int = 20_000  # the one article with this many
    authors: int = 60
    # One article in this many is about SEARCH_TERMS ("lifeboat crew"): 200 of 200,000.
    search_share: int = 1_000


# A tiny set of the same shape, for the test (tests/bench/test_scale.py).
TINY = LargeScale(
    articles=300,
    years=2,
    sections=3,
    tags=20,
    comments=3_000,
    pending=150,
    spam=60,
    busy_articles=3,
    busy_min=50,
    biggest=400,
    authors=4,
    search_share=10,
)

# The section that holds a fifth of the archive, so that its page 2,000 exists.
BIG_SECTION_SHARE = 0.2
SECTION_NAMES = [
    "News", "Politics", "Business", "Sport", "Culture", "Science", "Health", "Education",
    "Environment", "Transport", "Housing", "Crime", "Courts", "Weather", "Farming",
    "Fishing", "Tourism", "Technology", "Opinion", "Letters", "Obituaries", "Religion",
    "Music", "Theatre", "Books", "Food", "Motoring", "Property", "Travel", "History",
]  # fmt: skip
# Enough words, and enough of them rare, that search has postings of every length.
WORDS = (  # noqa: SIM905 - read as prose
    "council budget vote street library school water park housing bus river market "
    "harbour ferry bridge station hospital clinic nurse doctor teacher pupil college "
    "university farm farmer field harvest cattle sheep fishing boat trawler quay pier "
    "beach dune cliff lighthouse coastguard storm flood gale tide rain snow drought "
    "heatwave road bypass roundabout parking traffic cycle lane pavement pothole "
    "planning application developer estate flats homes rent landlord tenant mortgage "
    "shop bakery butcher pub brewery cafe restaurant hotel tourist festival fair show "
    "concert choir band orchestra theatre cinema gallery museum archive exhibition "
    "painting sculpture poet novelist author book reading club match league cup final "
    "goal keeper striker captain coach referee stadium ground pitch cricket rugby "
    "tennis golf rowing sailing regatta marathon race runner swimmer police officer "
    "court magistrate judge jury trial verdict sentence fine theft burglary fraud "
    "arson inquiry report review consultation petition protest campaign charity "
    "volunteer donation appeal fundraiser mayor councillor minister election ballot "
    "candidate turnout count recount seat majority coalition opposition budget tax "
    "rates grant funding cuts savings deficit borrowing loan investment jobs factory "
    "plant closure redundancy apprentice training wind turbine solar panel battery "
    "grid pylon cable broadband mast signal phone app website data privacy survey "
    "census population village town city county region border valley moor forest "
    "woodland hedge footpath bridleway allotment garden nursery orchard vineyard "
    "museum castle abbey church chapel cathedral bell tower clock square fountain"
).split()
PLACES = [
    "Larkspur", "Eastwick", "Harrowgate", "Millbrook", "Saltmarsh", "Kingsford",
    "Ashby", "Netherton", "Westhaven", "Brackley", "Thornbury", "Redcliffe",
]  # fmt: skip
VERBS = [
    "approves", "rejects", "delays", "opens", "closes", "wins", "loses", "backs",
    "questions", "celebrates", "plans", "reviews", "marks", "faces", "welcomes",
]  # fmt: skip


def _zipf_word(rng):
    # Low indexes far more often than high ones: common words and rare ones, as in text.
    return WORDS[int(len(WORDS) * rng.random() ** 2.5)]


def _sentence(rng, low, high):
    words = [_zipf_word(rng) for _ in range(rng.randint(low, high))]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(PLACES))
    return " ".join(words).capitalize() + "."


def _paragraph(rng):
    return "<p>" + " ".join(_sentence(rng, 8, 20) for _ in range(rng.randint(3, 6))) + "</p>"


# --- seeding (in the project's Django process) -------------------------------------------


def copy_rows(cursor, model, rows, *, fixed=None):
    """COPY `rows` (dicts by attname) into `model`'s table; a column a row leaves out takes
    `fixed`'s value, else the field's default, so that a column added later still gets
    what the ORM would have written."""
    fields = model._meta.concrete_fields
    defaults = {field.attname: field.get_default() for field in fields}
    defaults.update(fixed or {})
    names = [field.attname for field in fields]
    columns = ", ".join(f'"{field.column}"' for field in fields)
    count = 0
    with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[name] if name in row else defaults[name] for name in names])
            count += 1
    return count


def _reset_sequence(cursor, model):
    table = model._meta.db_table
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our names
        f'(SELECT coalesce(max(id), 1) FROM "{table}"))'
    )


def _comment_counts(scale, rng, biggest, three, busy):
    """Comments per article index: the biggest, the one with three, the busy ones, and the
    rest sharing what is left, a few each, summing to scale.comments exactly."""
    counts = [0] * scale.articles
    counts[biggest] = scale.biggest
    counts[three] = 3
    for index in busy:
        counts[index] = scale.busy_min + rng.randrange(scale.busy_min // 2)
    special = {biggest, three, *busy}
    rest = [i for i in range(scale.articles) if i not in special]
    left = scale.comments - sum(counts)
    if left < 0:
        raise ValueError("the special articles alone hold more comments than the set")
    average = left / len(rest)
    for index in rest:
        counts[index] = rng.randint(0, int(2 * average))
    # Even out the difference one comment at a time over random ordinary articles.
    difference = scale.comments - sum(counts)
    step = 1 if difference > 0 else -1
    while difference:
        index = rest[rng.randrange(len(rest))]
        if counts[index] + step >= 0:
            counts[index] += step
            difference -= step
    return counts


def seed_large(scale: LargeScale = LargeScale(), rng_seed: int = 22) -> dict:
    """Write the large set into an empty migrated PostgreSQL database with COPY, then
    VACUUM ANALYZE; describe it (paths to measure, figures) as a dict."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from articles.models import Article, ArticleAuthor, Author, Category, Tag
    from comments.models import Comment
    from comments.rendering import render_comment_body

    from .seed import ARCHIVE_SUBJECTS, SEARCH_TERMS

    if connection.vendor != "postgresql":
        raise RuntimeError("the large set is written with PostgreSQL's COPY")
    rng = random.Random(rng_seed)  # noqa: S311 - the same data set on every run
    now = timezone.now().replace(microsecond=0)
    started = time.perf_counter()
    timings = {}

    paragraphs = [_paragraph(rng) for _ in range(4_000)]
    lifeboat_title, lifeboat_text = ARCHIVE_SUBJECTS[0]
    bodies = []
    for n in range(3_000):
        text = " ".join(_sentence(rng, 4, 18) for _ in range(rng.randint(1, 4)))
        if n % 10 == 0:
            text += f" More at https://example.org/letters/{n}"
        if n % 7 == 0:
            text = text.replace(".", ".\n\n", 1)
        bodies.append((text, render_comment_body(text)))

    # Article i is published at an even step over the years, oldest first, with jitter.
    span = timedelta(days=365 * scale.years).total_seconds()
    step = span / scale.articles
    first_day = now - timedelta(seconds=span)

    def published_at(i):
        return first_day + timedelta(seconds=int(step * i + rng.random() * step * 0.9))

    # Chosen by place, a few years back (the biggest), recent (the one with three).
    biggest = scale.articles - scale.articles // scale.years  # about a year ago
    three = scale.articles - 50
    candidates = [i for i in range(scale.articles) if i not in {biggest, three}]
    busy = set(rng.sample(candidates, scale.busy_articles))
    counts = _comment_counts(scale, rng, biggest, three, busy)

    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.connection.cursor()
        users = get_user_model().objects
        moderator = users.create_superuser("bench-moderator", "moderator@bench.example")
        copy_rows(
            cursor,
            Category,
            (
                {"id": n + 1, "name": name, "slug": slugify(name), "description": ""}
                for n, name in enumerate(SECTION_NAMES[: scale.sections])
            ),
        )
        tag_names = []
        for n in range(scale.tags):
            name = f"{rng.choice(PLACES)} {_zipf_word(rng)} {n + 1}"
            tag_names.append(name)
        copy_rows(
            cursor,
            Tag,
            (
                {"id": n + 1, "name": name, "slug": slugify(name)}
                for n, name in enumerate(tag_names)
            ),
        )
        copy_rows(
            cursor,
            Author,
            (
                {"id": n + 1, "name": f"Reporter {n + 1}", "slug": f"reporter-{n + 1}"}
                for n in range(scale.authors)
            ),
        )

        dates = [published_at(i) for i in range(scale.articles)]
        searchable = 0

        def articles():
            nonlocal searchable
            for i in range(scale.articles):
                # A fifth in the big section, the rest spread over the others.
                if i % round(1 / BIG_SECTION_SHARE) == 0:
                    section = 1
                else:
                    section = 2 + i % (scale.sections - 1)
                body = "".join(rng.choice(paragraphs) for _ in range(rng.randint(3, 6)))
                title = (
                    f"{rng.choice(PLACES)} {_zipf_word(rng)} {rng.choice(VERBS)} "
                    f"{_zipf_word(rng)} {_zipf_word(rng)} plan"
                ).capitalize()
                if i % scale.search_share == 0:
                    title, body = f"{lifeboat_title} ({i})", lifeboat_text + body
                    searchable += 1
                yield {
                    "id": i + 1,
                    "title": title,
                    "slug": f"{slugify(title)[:150]}-{i + 1}",
                    "standfirst": _sentence(rng, 10, 20),
                    "body": body,
                    "status": Article.Status.PUBLISHED,
                    "published_at": dates[i],
                    "created_at": dates[i],
                    "updated_at": dates[i],
                    "category_id": section,
                }

        copy_rows(cursor, Article, articles())
        copy_rows(
            cursor,
            ArticleAuthor,
            (
                {
                    "id": i + 1,
                    "article_id": i + 1,
                    "author_id": 1 + i % scale.authors,
                    "position": 0,
                }
                for i in range(scale.articles)
            ),
        )

        def article_tags():
            n = 0
            for i in range(scale.articles):
                # Some tags on many articles (the first), most on a few.
                chosen = {1 + int(scale.tags * rng.random() ** 3) for _ in range(rng.randint(1, 4))}
                for tag in sorted(chosen):
                    n += 1
                    yield {"id": n, "article_id": i + 1, "tag_id": tag}

        copy_rows(cursor, Article.tags.through, article_tags())
        timings["articles_seconds"] = round(time.perf_counter() - started, 1)

        # Hidden statuses drawn without replacement over every comment but the three's.
        hidden = ["pending"] * scale.pending + ["spam"] * scale.spam
        hidden += [""] * (scale.comments - 3 - len(hidden))
        rng.shuffle(hidden)
        reasons = {"pending": "First comment from this address.", "spam": "Too many links."}
        emails = scale.comments // 10

        def comments():
            pk = 0
            drawn = 0
            for i, count in enumerate(counts):
                if not count:
                    continue
                approved = []  # (pk, depth) of approved comments, for replies
                # Comments over the days after publication (a busy thread over weeks),
                # never after now.
                start = dates[i] + timedelta(minutes=5)
                room = max(60.0, min((now - start).total_seconds(), 86400.0 * (3 + count / 500)))
                for j in range(count):
                    pk += 1
                    if i == three:
                        status = "approved"
                    else:
                        status = hidden[drawn] or "approved"
                        drawn += 1
                    parent = None
                    depth = 0
                    if approved and rng.random() < 0.35:
                        parent, depth = approved[rng.randrange(len(approved))]
                        depth += 1
                        if depth > 4:
                            parent, depth = None, 0
                    if status == "approved":
                        approved.append((pk, depth))
                    when = start + timedelta(seconds=room * (j + rng.random()) / count)
                    body, html = bodies[rng.randrange(len(bodies))]
                    reader = rng.randrange(emails)
                    yield {
                        "id": pk,
                        "article_id": i + 1,
                        "parent_id": parent,
                        "author_name": f"Reader {reader}",
                        "author_email": f"reader{reader}@readers.example",
                        "body": body,
                        "body_html": html,
                        "status": status,
                        "moderation_reason": reasons.get(status, ""),
                        "submitted_at": when,
                        "status_changed_at": None if status == "pending" else when,
                        "ip_address": f"198.51.{reader // 256 % 256}.{reader % 256}",
                        "user_agent": "bench/scale",
                    }

        copy_rows(cursor, Comment, comments())
        for model in (Category, Tag, Author, Article, ArticleAuthor, Article.tags.through, Comment):
            _reset_sequence(cursor, model)
    timings["written_seconds"] = round(time.perf_counter() - started, 1)
    # As autovacuum would after such a load: statistics for the planner, the visibility map
    # for index-only scans. VACUUM cannot run in a transaction (a test's): ANALYZE there.
    maintenance = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in (Article, Article.tags.through, ArticleAuthor, Comment, Tag, Category):
            cursor.execute(f'{maintenance} "{model._meta.db_table}"')
    timings["seed_seconds"] = round(time.perf_counter() - started, 1)

    # What the pages measure: read back through the models, as the site will.
    biggest_article = Article.objects.get(pk=biggest + 1)
    three_article = Article.objects.get(pk=three + 1)
    middle = timezone.localtime(dates[scale.articles // 2])
    big_section = Category.objects.get(pk=1)
    busiest_tag = Tag.objects.get(pk=1)
    deep_page = min(2_000, _pages(big_section.articles.count()))
    queue_email = f"reader{rng.randrange(emails)}@readers.example"
    return {
        "scale": asdict(scale),
        **timings,
        "counts": {
            "articles": Article.objects.count(),
            "comments": Comment.objects.count(),
            "pending": Comment.objects.pending().count(),
            "spam": Comment.objects.spam().count(),
            "tags": Tag.objects.count(),
            "sections": Category.objects.count(),
            "article_tags": Article.tags.through.objects.count(),
            "search_matches": searchable,
        },
        "paths": {
            "article_few": three_article.get_absolute_url(),
            "article_most": biggest_article.get_absolute_url(),
            "article_most_comments": scale.biggest,
            "section": big_section.get_absolute_url(),
            "section_page": deep_page,
            "year": f"/{middle.year:04d}/",
            "month": f"/{middle.year:04d}/{middle.month:02d}/",
            "tag": busiest_tag.get_absolute_url(),
            "search": "/search/?" + urlencode({"q": SEARCH_TERMS}),
            "queue_article_id": biggest_article.pk,
            "queue_email": queue_email,
        },
        "moderator_username": moderator.username,
    }


def _pages(count):
    from django.conf import settings

    return max(1, -(-count // settings.ARTICLES_PER_PAGE))


def small_extras(rng_seed: int = 22) -> dict:
    """Give the small set (bench.seed) what the large set's pages need to have the same
    pages there: an article with three comments and a tag on some archive articles. Called
    only with SCALE=large, after the small set is seeded and before its runs."""
    from django.db import transaction
    from django.utils import timezone

    from articles.models import Article, Category, Tag
    from comments.models import Comment
    from comments.rendering import render_comment_body

    from .seed import COMMENT_BODIES, SEARCH_TERMS

    with transaction.atomic():
        archive = list(Article.objects.filter(slug__startswith="archive-").order_by("pk"))
        few = archive[1]
        Comment.objects.bulk_create(
            Comment(
                article=few,
                author_name=f"Reader {n}",
                author_email=f"reader{n}@readers.example",
                body=COMMENT_BODIES[n],
                body_html=render_comment_body(COMMENT_BODIES[n]),
                status=Comment.Status.APPROVED,
                submitted_at=few.published_at + timedelta(hours=n + 1),
                status_changed_at=few.published_at + timedelta(hours=n + 1),
                ip_address="127.0.0.1",
                user_agent="bench/scale",
            )
            for n in range(3)
        )
        tag = Tag.objects.create(name="Harbour", slug="harbour")
        tag.articles.add(*archive[::5])
    section = Category.objects.get(slug="local-politics")
    middle = archive[len(archive) // 2].published_at
    big = Article.objects.get(slug="council-budget-day-1")
    return {
        "paths": {
            "article_few": few.get_absolute_url(),
            "article_most": big.get_absolute_url(),
            "article_most_comments": big.comments.approved().count(),
            "section": section.get_absolute_url(),
            # The deepest page the small set has.
            "section_page": _pages(section.articles.count()),
            "year": f"/{timezone.localtime(middle).year:04d}/",
            "month": timezone.localtime(middle).strftime("/%Y/%m/"),
            "tag": tag.get_absolute_url(),
            "search": "/search/?" + urlencode({"q": SEARCH_TERMS}),
            "queue_article_id": big.pk,
            "queue_email": "reader7@readers.example",
        }
    }


def session_cookie(username: str) -> dict:
    """A session of `username`, logged in as the admin login would: the Cookie header."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"cookie": f"{settings.SESSION_COOKIE_NAME}={value}"}


# --- the pages measured, on either set ----------------------------------------------------


def page_paths(paths: dict) -> dict:
    """Each page measured: name -> (label, path or candidate paths, kind). Kind "reader"
    is measured from the page cache and bypassing it; "staff" with a moderator's session.
    Both sets describe themselves with the same keys (seed_large, small_extras)."""
    section = f"{paths['section']}?page={paths['section_page']}"
    queue = "/admin/comments/comment/"
    return {
        "front": ("front page", paths.get("front", "/"), "reader"),
        "article_few": ("article, 3 comments", paths["article_few"], "reader"),
        "article_most": (
            f"article, {paths['article_most_comments']:,} comments",
            paths["article_most"],
            "reader",
        ),
        "article_most_page2": (
            "  the same, comments page 2",
            paths["article_most"] + "?cpage=2",
            "reader",
        ),
        "section_deep": (f"section, page {paths['section_page']:,}", section, "reader"),
        "year": ("year archive", paths["year"], "reader"),
        "month": ("month archive", paths["month"], "reader"),
        "tag": ("tag page (its busiest tag)", paths["tag"], "reader"),
        "sitemap_index": ("sitemap index", SITEMAP_INDEX_PATHS, "reader"),
        "sitemap_page": ("sitemap, first page", SITEMAP_PAGE_PATHS, "reader"),
        "feed": ("site feed", "/feed/", "reader"),
        "comments_feed": ("comments feed", "/comments/feed/", "reader"),
        "search": ("search (never cached)", paths["search"], "reader"),
        "queue": ("moderation queue, first page", queue, "staff"),
        "queue_article": (
            "  filtered by article",
            f"{queue}?article={paths['queue_article_id']}",
            "staff",
        ),
        "queue_email": (
            "  search by email",
            f"{queue}?{urlencode({'q': paths['queue_email']})}",
            "staff",
        ),
    }


def _first_answering(base_url, candidates, headers):
    """The first of the candidate paths that answers 200, its body, and why not if none
    does. A candidate that does not answer at all (load.fetch waits 30 s) ends the search:
    that page is too slow to measure, whichever shape it has."""
    if isinstance(candidates, str):
        candidates = (candidates,)
    tried = []
    for path in candidates:
        started = time.perf_counter()
        try:
            status, _, body = load.fetch(base_url, path, headers)
        except OSError as error:  # a timeout, or the worker killed under it
            waited = time.perf_counter() - started
            tried.append(f"{path}: no answer in {waited:.0f} s ({type(error).__name__})")
            break
        if status == 200:
            return path, body, None
        tried.append(f"{path}: {status}")
    return None, b"", "; ".join(tried)


def _log(message):
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr)


def measure_pages(label, base_url, paths, staff_cookie, *, duration) -> dict:
    """wrk on each page of page_paths(paths), one connection; figures by page and variant.
    A page that does not answer is recorded as skipped, with why, and the others go on."""
    results = {}
    for name, (_, candidates, kind) in page_paths(paths).items():
        variants = (
            {"uncached": {"Cookie": staff_cookie}}
            if kind == "staff"
            else {"cached": {}, "uncached": {"Cookie": BYPASS_COOKIE}}
        )
        results[name] = {}
        for variant, extra in variants.items():
            headers = {**REQUEST_HEADERS, **extra}
            path, body, missing = _first_answering(base_url, candidates, headers)
            if path is None:
                _log(f"{label}: {name} ({variant}) not measured: {missing}")
                results[name][variant] = {"skipped": missing}
                if "no answer" in missing:
                    # The other variant would wait as long again for the same page.
                    break
                continue
            _log(f"{label}: {name} ({variant}) {path}")
            try:
                load.run_wrk(
                    base_url + path,
                    connections=CONNECTIONS,
                    duration=WARMUP_SECONDS,
                    headers=headers,
                )
                time.sleep(SETTLE_SECONDS)
                run = load.run_wrk(
                    base_url + path, connections=CONNECTIONS, duration=duration, headers=headers
                )
            except (RuntimeError, subprocess.SubprocessError) as error:
                results[name][variant] = {"skipped": f"wrk failed: {error}"}
                continue
            run.update(path=path, bytes=len(body))
            if name in ADDRESS_COUNTED_PAGES:
                run["addresses"] = body.count(b"<loc>")
            if not run["requests"]:
                run["skipped"] = f"no answer within wrk's timeout: {run['error_detail']}"
            run["mean_ms"] = round(1000 / run["requests_per_s"], 2) if run["requests"] else None
            results[name][variant] = run
    return results


def prepare_small(python, env) -> dict:
    """The small set's paths and a moderator's session, for measure_pages."""
    found = python("bench.scale", "small-extras", env=env)
    found["cookie"] = python("bench.scale", "session", "bench-moderator", env=env)["cookie"]
    return found


def run_large(env, scratch, *, python, manage, duration, import_comments) -> dict:
    """The large set on a fresh PostgreSQL database: seed, pages, export; then the import
    of a `import_comments`-comment export (SQLite, as bench.wxr measures it)."""
    report = {}
    with services.database("postgresql", env, scratch) as available:
        if available is not True:
            return {"skipped": available}
        _log("large: migrate")
        manage("migrate", "--noinput", env=env)
        _log("large: seeding 200,000 articles and 2,000,000 comments with COPY")
        started = time.perf_counter()
        seeded = python("bench.scale", "seed", env=env, timeout=3600)
        report["seed"] = {**seeded, "wall_seconds": round(time.perf_counter() - started, 1)}
        _log(f"large: seeded in {report['seed']['wall_seconds']:.0f} s")
        cookie = python("bench.scale", "session", seeded["moderator_username"], env=env)["cookie"]
        manage("collectstatic", "--noinput", env=env)
        with server.running_gunicorn(env, scratch / "gunicorn-large.log") as gunicorn:
            report["pages"] = measure_pages(
                "large", gunicorn.url, seeded["paths"], cookie, duration=duration
            )
        _log("large: export_wxr of the whole archive")
        report["export"] = _step(measure_export, env, scratch)
    if import_comments:
        _log(f"large: import_wxr of {import_comments:,} comments")
        report["import"] = _step(wxr.measure_import, env, scratch, comments=import_comments)
        (scratch / "synthetic-export.xml").unlink(missing_ok=True)
        (scratch / "bench-wxr.sqlite3").unlink(missing_ok=True)
    return report


def _step(measure, *args, **kwargs) -> dict:
    """One measurement; its failure recorded (and printed) instead of losing the others
    and a seeding of several minutes."""
    try:
        return measure(*args, **kwargs)
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        _log(f"large: {measure.__name__} failed: {error}")
        return {"failed": str(error)[-2000:]}


def measure_export(env, scratch) -> dict:
    """`manage.py export_wxr` of the whole database in a child process: time, size, peak RSS."""
    out = scratch / "export-large.xml"
    seconds, peak_mb = wxr.run_manage_measured(
        ["export_wxr", str(out)], env, scratch / "export_wxr.log"
    )
    size = out.stat().st_size
    out.unlink()
    return {
        "seconds": round(seconds, 1),
        "file_mb": round(size / 2**20, 1),
        "peak_mb": peak_mb,
    }


# --- targets and the table ----------------------------------------------------------------


def _mean(figures, name, variant):
    run = figures.get(name, {}).get(variant) if figures else None
    if not run or "skipped" in run or not run.get("mean_ms"):
        return None
    return run["mean_ms"]


def _run(figures, name, variant):
    return (figures or {}).get(name, {}).get(variant) or {}


def _per_thousand(mean_ms, run):
    """A page's mean time per 1,000 of its addresses, where they were counted."""
    addresses = run.get("addresses")
    return 1000 * mean_ms / addresses if mean_ms and addresses else None


def rows(report) -> list[dict]:
    """Each page and variant on both sets: mean ms, ratio large/small, PASS or MISS; for a
    page whose addresses were counted (ADDRESS_COUNTED_PAGES), also their numbers and the
    time per 1,000 of them on each set, with that ratio."""
    large = report.get("large", {})
    small_figures = report.get("backends", {}).get("postgresql", {}).get("scale_pages", {})
    large_figures = large.get("pages", {})
    paths = large.get("seed", {}).get("paths")
    if not paths:
        return []
    result = []
    for name, (label, _, kind) in page_paths(paths).items():
        for variant in ("cached", "uncached") if kind == "reader" else ("uncached",):
            small = _mean(small_figures, name, variant)
            big = _mean(large_figures, name, variant)
            ratio = big / small if small and big else None
            result_text = "-" if ratio is None else "PASS" if ratio <= RATIO_TARGET else "MISS"
            if small and big is None and name in large_figures:
                result_text = "MISS"  # measured on the small set, no answer on the large
            small_run = _run(small_figures, name, variant)
            large_run = _run(large_figures, name, variant)
            small_per_1000 = _per_thousand(small, small_run)
            large_per_1000 = _per_thousand(big, large_run)
            result.append(
                {
                    "page": name,
                    "label": label,
                    "variant": variant if kind == "reader" else "staff",
                    "small_ms": small,
                    "large_ms": big,
                    "large_p99_ms": (large_figures.get(name, {}).get(variant) or {}).get("p99_ms"),
                    "ratio": round(ratio, 2) if ratio else None,
                    "result": result_text,
                    "small_addresses": small_run.get("addresses"),
                    "large_addresses": large_run.get("addresses"),
                    "small_ms_per_1000": small_per_1000,
                    "large_ms_per_1000": large_per_1000,
                    "ratio_per_1000": (
                        round(large_per_1000 / small_per_1000, 2)
                        if small_per_1000 and large_per_1000
                        else None
                    ),
                }
            )
    return result


def evaluate(report) -> list[dict]:
    """Issue 22's targets: each uncached reader page within 1.5x of the small set's;
    import peak memory under 200 MB; export peak memory under 200 MB."""
    outcomes = []
    for row in rows(report):
        if row["variant"] != "uncached" or row["result"] == "-":
            continue
        outcomes.append(
            {
                "target": f"large/small <= {RATIO_TARGET}x: {row['label'].strip()}",
                "backend": "postgresql",
                "measured": (
                    f"{row['small_ms']:.1f} -> {row['large_ms']:.1f} ms = {row['ratio']}x"
                    if row["ratio"]
                    else f"{row['small_ms']:.1f} ms -> not measured (no answer)"
                ),
                "result": row["result"],
            }
        )
    large = report.get("large", {})
    for key, what in (("import", "WXR import"), ("export", "WXR export")):
        figures = large.get(key)
        if figures and "failed" in figures:
            outcomes.append(
                {
                    "target": f"{what} at scale: peak memory < 200 MB",
                    "backend": "sqlite" if key == "import" else "postgresql",
                    "measured": "failed: " + figures["failed"].splitlines()[-1][:60],
                    "result": "MISS",
                }
            )
        elif figures:
            outcomes.append(
                {
                    "target": f"{what} at scale: peak memory < 200 MB",
                    "backend": "sqlite" if key == "import" else "postgresql",
                    "measured": f"{figures['peak_mb']:.0f} MB",
                    "result": "PASS" if figures["peak_mb"] < 200 else "MISS",
                }
            )
    return outcomes


def table(report) -> list[str]:
    large = report.get("large")
    if not large:
        return []
    if "skipped" in large:
        return ["", f"Large set (SCALE=large): skipped ({large['skipped']})"]
    seed = large["seed"]
    counts = seed["counts"]
    lines = [
        "",
        f"Large set (SCALE=large), PostgreSQL: {counts['articles']:,} articles in "
        f"{counts['sections']} sections, {counts['tags']:,} tags ({counts['article_tags']:,} "
        f"taggings), {counts['comments']:,} comments ({counts['pending']:,} pending, "
        f"{counts['spam']:,} spam); seeded with COPY in {seed['wall_seconds']:.0f} s "
        f"(articles {seed['articles_seconds']:.0f} s, all rows {seed['written_seconds']:.0f} s, "
        f"then VACUUM ANALYZE); search matches {counts['search_matches']:,}",
        f"Each page: one connection, {CONNECTIONS} request at a time, after a "
        f"{WARMUP_SECONDS} s warm-up; ms = mean time of a request (1 / req/s); the small set "
        "is the PostgreSQL run's, measured the same way before anything else was added to it",
        "",
        f"{'page':34} {'variant':8} {'small ms':>9} {'large ms':>9} {'large p99':>9} "
        f"{'large/small':>11} result",
    ]
    lines.append("-" * len(lines[-1]))
    for row in rows(report):

        def ms(value):
            return f"{value:.1f}" if value is not None else "-"

        ratio = f"{row['ratio']:.2f}x" if row["ratio"] is not None else "-"
        lines.append(
            f"{row['label']:34} {row['variant']:8} {ms(row['small_ms']):>9} "
            f"{ms(row['large_ms']):>9} {ms(row['large_p99_ms']):>9} {ratio:>11} {row['result']}"
        )
        if row["small_addresses"] or row["large_addresses"]:
            per_1000 = row["ratio_per_1000"]
            counted = "/".join(
                f"{count:,}" if count is not None else "-"
                for count in (row["small_addresses"], row["large_addresses"])
            )
            label = f"  per 1,000 addresses ({counted})"
            lines.append(
                f"{label:34} {row['variant']:8} {ms(row['small_ms_per_1000']):>9} "
                f"{ms(row['large_ms_per_1000']):>9} {'':>9} "
                f"{f'{per_1000:.2f}x' if per_1000 is not None else '-':>11}"
            )
    for name, figures in large.get("pages", {}).items():
        for variant, run in figures.items():
            if "skipped" in run:
                lines.append(f"  {name} ({variant}) not measured: {run['skipped']}")
    for key in ("export", "import"):
        if "failed" in large.get(key, {}):
            lines.append(f"WXR {key} failed: {large[key]['failed']}")
    export = large.get("export")
    if export and "failed" not in export:
        lines.append(
            f"WXR export of the large set: {export['file_mb']:,.0f} MB in "
            f"{export['seconds']:.0f} s, peak RSS {export['peak_mb']:.0f} MB"
        )
    imported = large.get("import")
    if imported and "failed" not in imported:
        lines.append(
            f"WXR import ({imported['backend']}): {imported['comments']:,} comments "
            f"({imported['file_mb']:,.0f} MB file) in {imported['seconds']:.0f} s = "
            f"{imported['comments_per_s']:,.0f} comments/s, peak RSS {imported['peak_mb']:.0f} MB"
        )
    return lines


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    command, *args = sys.argv[1:]
    if command == "seed":
        result = seed_large()
    elif command == "small-extras":
        result = small_extras()
    elif command == "session":
        result = session_cookie(args[0])
    else:
        raise SystemExit(f"unknown command {command!r}")
    json.dump(result, sys.stdout, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
