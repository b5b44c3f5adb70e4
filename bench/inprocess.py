"""Figures measured inside one Django process: queries per page, the bulk approve.

Run as `python -m bench.inprocess measure SEED_JSON` against the database bench.seed
filled (or `render URL FILE`, `stored MARKER`); it prints JSON. The smoke test calls
`queries_per_article_page()` directly.
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


def bulk_approve(comment_ids, moderator) -> dict:
    """Approve the given comments in one bulk change_status, as the admin action does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from comments.models import Comment

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        changed = Comment.objects.filter(pk__in=comment_ids).change_status(
            Comment.Status.APPROVED, by=moderator, note="bench: bulk approve"
        )
    seconds = time.perf_counter() - started
    return {"comments": changed, "seconds": seconds, "queries": len(queries)}


def measure(seeded: dict) -> dict:
    from django.contrib.auth import get_user_model

    from comments.models import Comment

    figures = {"queries_per_article_page": queries_per_article_page(seeded["article_urls"])}

    moderator = get_user_model().objects.get(username=seeded["moderator_username"])
    queue = list(
        Comment.objects.pending()
        .filter(article_id__in=seeded["moderation_article_ids"])
        .values_list("pk", flat=True)
    )
    # A small batch first, from other pending comments, to show the query count is fixed.
    small = list(
        Comment.objects.pending()
        .exclude(article_id__in=seeded["moderation_article_ids"])
        .values_list("pk", flat=True)[:101]
    )
    # The first change in a process also looks up content types; keep that out of the count.
    bulk_approve(small[:1], moderator)
    figures["bulk_approve_small"] = bulk_approve(small[1:], moderator)
    figures["bulk_approve"] = bulk_approve(queue, moderator)
    return figures


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
    else:
        raise SystemExit(f"unknown command {command!r}")
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
