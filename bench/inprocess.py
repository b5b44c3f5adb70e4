"""Figures measured inside one Django process: queries per page, the bulk approve.

Run as `python -m bench.inprocess measure SEED_JSON` against the database bench.seed
filled (or `render URL FILE`, `stored MARKER`, `queue USERNAME`); it prints JSON. The
smoke test calls `queries_per_article_page()` directly.
"""

import json
import os
import sys
import time


def _client():
    from django.test import Client

    return Client(HTTP_HOST="127.0.0.1")


def queries_per_article_page(article_urls: dict) -> dict:
    """Database queries for one uncached anonymous view of each article page.

    Each page is fetched once to warm up process-wide caches (content types, templates),
    then the cache is cleared so that the page cache cannot hide queries, and the second
    fetch is counted.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client()
    counts = {}
    # secure=True below: production settings may redirect plain http to https.
    for label, url in article_urls.items():
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        counts[label] = len(queries)
    return counts


def admin_bulk_approve(client, article_id) -> dict:
    """Approve an article's whole queue with the admin's bulk action, as a moderator does.

    The queue filtered to the article, "Select all", "Approve selected comments": one POST
    to the changelist, timed and its queries counted, through the whole admin.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from comments.models import Comment

    queue = Comment.objects.pending().filter(article_id=article_id)
    waiting = queue.count()
    changelist = reverse("admin:comments_comment_changelist")
    form = {
        "action": "approve",
        "index": "0",
        "select_across": "1",
        # The admin asks for a ticked row even when everything across pages is selected.
        "_selected_action": [queue.values_list("pk", flat=True).first()],
    }
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"{changelist}?status=pending&article={article_id}", form, secure=True
        )
    seconds = time.perf_counter() - started
    if response.status_code != 302:
        raise RuntimeError(f"the admin's bulk approve answered {response.status_code}")
    # Where the time went, for comparing runs: the statements (COMMIT, which checks the
    # new rows' deferred foreign keys on PostgreSQL, among them) that took longest.
    slowest = sorted(queries.captured_queries, key=lambda query: -float(query["time"]))[:4]
    return {
        "comments": waiting - queue.count(),
        "seconds": round(seconds, 3),
        "queries": len(queries),
        "slowest_statements": [[query["sql"][:60], float(query["time"])] for query in slowest],
    }


def measure(seeded: dict) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from comments.models import Comment

    figures = {"queries_per_article_page": queries_per_article_page(seeded["article_urls"])}

    client = _client()
    client.force_login(get_user_model().objects.get(username=seeded["moderator_username"]))
    # What a running server has looked up once and keeps (permissions, the content type
    # that admin history rows name) is not counted against the first bulk action.
    client.get(reverse("admin:comments_comment_changelist"), secure=True)
    ContentType.objects.get_for_model(Comment)
    # The big article's few hundred pending first: the same number of queries is expected.
    figures["bulk_approve_small"] = admin_bulk_approve(client, seeded["big_article_id"])
    figures["bulk_approve"] = admin_bulk_approve(client, seeded["moderation_article_id"])
    return figures


def queue_at_scale(username: str, runs: int = 5) -> dict:
    """The moderation queue's first page (pending, newest first, with its status counts),
    as a moderator opens it: the whole admin request, timed `runs` times after a warm-up.

    Reports the median and the slowest run, the queries, and the statements that took
    longest in the slowest run, on whatever bench.seed.seed_queue() added to the table.
    """
    import statistics

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from comments.models import Comment

    client = _client()
    client.force_login(get_user_model().objects.get(username=username))
    url = reverse("admin:comments_comment_changelist")
    client.get(url, secure=True)  # permissions, templates, the content type: once a process
    timings, slowest = [], None
    for _ in range(runs):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, secure=True)
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"the moderation queue answered {response.status_code}")
        timings.append(seconds)
        if slowest is None or seconds >= max(timings):
            slowest = sorted(queries.captured_queries, key=lambda query: -float(query["time"]))
    return {
        "comments": Comment.objects.order_by().count(),
        # The machine's own load at the time (other processes share the cores).
        "load_average_1m": round(os.getloadavg()[0], 1),
        "median_seconds": round(statistics.median(timings), 4),
        "max_seconds": round(max(timings), 4),
        "queries": len(queries),
        "slowest_statements": [[query["sql"][:70], float(query["time"])] for query in slowest[:4]],
    }


def render(url: str, path: str) -> int:
    """Write the uncached page at `url` to `path` (the static ceiling's content); its size."""
    content = _client().get(url, secure=True).content
    with open(path, "wb") as out:
        out.write(content)
    return len(content)


def stored_comments(marker: str, accepted_ids_path: str) -> dict:
    """What a posting run stored: all comments, distinct bodies, and the accepted ones.

    Every comment whose posting was answered with a redirect to it must be there; more may
    be stored than were accepted, as requests still in flight when wrk stopped are served
    without wrk counting their answer.
    """
    from comments.models import Comment

    with open(accepted_ids_path) as ids:
        accepted_ids = {int(line) for line in ids.read().split()}
    posted = Comment.objects.filter(body__contains=marker)
    return {
        "stored": posted.count(),
        "distinct": posted.values("body").distinct().count(),
        "accepted_distinct": len(accepted_ids),
        "accepted_stored": posted.filter(pk__in=accepted_ids).count(),
    }


def main():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    command, *args = sys.argv[1:]
    if command == "measure":
        with open(args[0]) as seeded:
            result = measure(json.load(seeded))
    elif command == "render":
        result = {"bytes": render(*args)}
    elif command == "stored":
        result = stored_comments(*args)
    elif command == "queue":
        result = queue_at_scale(*args)
    else:
        raise SystemExit(f"unknown command {command!r}")
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
