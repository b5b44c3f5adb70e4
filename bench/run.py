"""`make bench`: seed, serve with nginx and gunicorn, load with wrk, print the figures.

    python -m bench.run [--duration 5] [--concurrency 8,32] [--backends sqlite,postgresql]

Everything runs on 127.0.0.1 in a temporary directory (SQLite file, STATIC_ROOT, logs);
readers' requests go through nginx (its edge cache and static files) to gunicorn, as
`make serve` runs them; gunicorn and nginx are stopped at the end even on error. One
table is printed and the same figures are written as JSON to bench/results/.
"""

import argparse
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path

from . import load, scale, server, services, wxr

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
CEILING_PATH = "bench/article-page.html"  # under STATIC_ROOT
# gunicorn still serves the requests queued when wrk stops; they must not slow the next run.
SETTLE_SECONDS = 1.5
# An unrecorded wrk run before each recorded one: every worker fills its page cache (local
# memory on SQLite), opens its database connection and compiles its templates.
WARMUP_SECONDS = 1

# Settings relaxed for the bench, stated in its output: one client on 127.0.0.1 posts
# hundreds of comments a second, which the spam rules rightly refuse from a real reader.
RELAXED_SETTINGS = {"COMMENTS_FLOOD_SECONDS": "0", "COMMENTS_MIN_SECONDS_TO_SUBMIT": "0"}
# Production settings as behind a TLS-terminating proxy on the same machine.
PRODUCTION_SETTINGS = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL": "1",
    "TRUST_X_FORWARDED_PROTO": "1",
    # nginx in front, on this machine: its X-Forwarded-For and X-Forwarded-Port are trusted.
    "COMMENTS_TRUSTED_PROXIES": "127.0.0.1",
    # Recycling workers every 1,000 requests would restart each of them every few seconds
    # under this load, hiding memory growth from the reading taken after the load.
    "GUNICORN_MAX_REQUESTS": "0",
}
# Sent with every request, as that proxy does.
REQUEST_HEADERS = {"X-Forwarded-Proto": "https"}
# Any cookie but csrftoken makes nginx's cache and the page cache step aside
# (pagecache/middleware.py): the page is rendered for this visitor alone, as for a reader
# with a session.
CACHE_BYPASS_HEADERS = {"Cookie": "bench=uncached"}
# Where a page is requested: through nginx as readers reach the site ("edge"), or from
# gunicorn directly ("app"), to measure what the application does without nginx's cache.
EDGE, APP = "edge", "app"
# Each page's ratio is to the static file served the same way: nginx's from disk for what
# nginx serves, whitenoise's through gunicorn for what gunicorn renders.
CEILINGS = {EDGE: "static", APP: "static_app"}

TARGETS = {
    "cached_ratio": 0.50,
    "cached_p99_ms": 20.0,
    "uncached_ratio": 0.10,
    "search_ratio": 0.10,
    "posts_per_s": 200.0,
    "approve_seconds": 1.0,
    "worker_mb": 150.0,
    "wxr_comments_per_s": 5000.0,
    "wxr_peak_mb": 200.0,
    "queue_seconds": 0.300,
}


def log(message):
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def python(module, *args, env, timeout=600):
    """Run `python -m module args` in the project with `env`; its JSON output."""
    output = wxr.run_python(["-m", module, *args], env, timeout=timeout)
    return json.loads(output.strip().splitlines()[-1])


def manage(*args, env, timeout=600):
    subprocess.run(  # noqa: S603 - our interpreter, manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=timeout,
    )


def base_env(scratch: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DEBUG", "DATABASE_URL", "REDIS_URL", "STATIC_ROOT", "MEDIA_ROOT", "SECRET_KEY"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        STATIC_ROOT=str(scratch / "static"),
        # The seeded featured image and its renditions: in the scratch directory too.
        MEDIA_ROOT=str(scratch / "media"),
        # The task queue without Redis: in the scratch directory, not the checkout.
        HUEY_SQLITE_FILE=str(scratch / "huey.sqlite3"),
        **PRODUCTION_SETTINGS,
        **RELAXED_SETTINGS,
    )
    return env


def machine() -> dict:
    cpu_model = ""
    memory_kb = 0
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "wrk": subprocess.run(  # noqa: S603
            [load.wrk_binary(), "--version"], capture_output=True, text=True
        ).stdout.split("\n")[0],
    }


def git_revision() -> str:
    def git(*args):
        return subprocess.run(  # noqa: S603 - git from PATH, fixed arguments
            ["git", *args],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()

    revision = git("rev-parse", "--short", "HEAD")
    return revision + ("-dirty" if git("status", "--porcelain", "--untracked-files=no") else "")


def bench_pages(seeded) -> dict:
    """Each page wrk loads: its name -> (path, headers, where it is requested, its ceiling).

    Rendered pages are measured against gunicorn's own static file (whitenoise), as since
    issue 9: what Django costs on top of serving the same bytes. Pages nginx serves from
    its cache are measured against nginx's static file.
    """
    bypass = CACHE_BYPASS_HEADERS
    return {
        "static": (f"/static/{CEILING_PATH}", {}, EDGE),
        "static_app": (f"/static/{CEILING_PATH}", {}, APP),
        "article_cached": (seeded["big_article_url"], {}, EDGE),
        # The same page from the application's own page cache, nginx left out: what a
        # request nginx passes on (a miss, a refresh) costs when the page is cached there.
        "article_app_cached": (seeded["big_article_url"], {}, APP),
        "article_uncached": (seeded["big_article_url"], bypass, EDGE),
        "front": (seeded["front_url"], {}, EDGE),
        # Never cached (the page cache leaves query strings alone): as any reader gets it.
        "search": (seeded["search_url"], {}, EDGE),
        # An article with a featured image (<picture>, srcset, og:image) and the same
        # article's twin without one: both without comments.
        "article_image_cached": (seeded["image_article_url"], {}, EDGE),
        "article_image_uncached": (seeded["image_article_url"], bypass, EDGE),
        "article_plain_uncached": (seeded["plain_article_url"], bypass, EDGE),
    }


def _ceiling_of(page):
    if page in CEILINGS.values():
        return page
    if page in ("article_cached", "front", "article_image_cached"):
        return CEILINGS[EDGE]
    return CEILINGS[APP]


# --pages takes these names; the ceiling is always measured, every ratio needs it.
PAGE_CHOICES = (
    "article_cached",
    "article_app_cached",
    "article_uncached",
    "front",
    "search",
    "article_image_cached",
    "article_image_uncached",
    "article_plain_uncached",
    "posts",
)


def http_runs(backend, base_urls, seeded, *, duration, concurrency, results, profiler, only=None):
    """wrk on each page at each concurrency; figures into results[page][connections].
    `base_urls`: {EDGE: nginx's address, APP: gunicorn's}."""
    pages = bench_pages(seeded)
    if only is not None:
        pages = {
            page: value
            for page, value in pages.items()
            if page in CEILINGS.values() or page in only
        }
    for page, (path, headers, where) in pages.items():
        base_url = base_urls[where]
        headers = {**REQUEST_HEADERS, **headers}
        # One visit first: it must be a 200 (never measure a redirect or an error page),
        # and for the cached page it fills the cache.
        status, _, body = load.fetch(base_url, path, headers)
        if status != 200:
            raise RuntimeError(f"{backend}: GET {path} answered {status}")
        results[page] = {"path": path, "bytes": len(body), "via": where}
        for connections in concurrency:
            log(f"{backend}: {page} at concurrency {connections}")
            load.run_wrk(
                base_url + path,
                connections=connections,
                duration=WARMUP_SECONDS,
                headers=headers,
            )
            time.sleep(SETTLE_SECONDS)
            with profiler(f"{page}-c{connections}"):
                results[page][connections] = load.run_wrk(
                    base_url + path, connections=connections, duration=duration, headers=headers
                )


def post_runs(backend, base_url, seeded, env, scratch, *, duration, concurrency, results, profiler):
    for connections in concurrency:
        marker = f"bench-{secrets.token_hex(6)}"
        time.sleep(SETTLE_SECONDS)
        log(f"{backend}: comment posts at concurrency {connections}")
        # A browser's same-origin POST over https names its origin; Django checks it.
        origin = base_url.replace("http://", "https://")
        headers = {
            **REQUEST_HEADERS,
            "Origin": origin,
            "Referer": origin + seeded["posting_url"],
        }
        try:
            # As for the pages: an unrecorded run first, so that the recorded one does not
            # pay for each worker's first POST (imports, the task queue's connection).
            load.run_comment_posts(
                base_url,
                seeded["posting_url"],
                connections=connections,
                duration=WARMUP_SECONDS,
                headers=headers,
                marker=f"bench-warmup-{secrets.token_hex(6)}",
            )
            time.sleep(SETTLE_SECONDS)
            with profiler(f"comment_posts-c{connections}"):
                figures = load.run_comment_posts(
                    base_url,
                    seeded["posting_url"],
                    connections=connections,
                    duration=duration,
                    headers=headers,
                    marker=marker,
                )
        except load.NoCommentForm as missing:
            results["skipped"] = str(missing)
            return
        ids_file = scratch / f"accepted-{marker}"
        ids_file.write_text("".join(f"{pk}\n" for pk in figures.pop("accepted_ids")))
        time.sleep(SETTLE_SECONDS)  # let the requests in flight finish before counting
        figures.update(python("bench.inprocess", "stored", marker, str(ids_file), env=env))
        results[connections] = figures


@contextmanager
def serving(backend, env, scratch, app_servers):
    """nginx over the gunicorns answering it, as `make serve` runs them: one gunicorn, or,
    on PostgreSQL with --app-servers N (issue 22), N gunicorns standing for N app servers
    behind nginx's upstream. Yields the base URLs ({EDGE: nginx's, APP: the first
    gunicorn's}) and the gunicorns."""
    count = app_servers if backend == "postgresql" else 1
    (scratch / backend).mkdir(exist_ok=True)
    if count > 1:
        log(f"{backend}: {count} gunicorns behind nginx")
    with (
        server.running_gunicorns(env, scratch / backend, count) as gunicorns,
        server.running_nginx(
            [gunicorn.address for gunicorn in gunicorns],
            env,
            scratch / f"nginx-{backend}",
            scratch / f"nginx-{backend}.log",
        ) as nginx_url,
    ):
        yield {EDGE: nginx_url, APP: gunicorns[0].url}, gunicorns


def workers_resident_mb(gunicorns):
    return [size for gunicorn in gunicorns for size in gunicorn.workers_resident_mb()]


def bench_backend(backend, env, scratch, args, report):
    log(f"{backend}: migrate and seed")
    manage("migrate", "--noinput", env=env)
    started = time.perf_counter()
    seeded = python("bench.seed", env=env)
    report["seed_seconds"] = round(time.perf_counter() - started, 1)
    # SCALE=large: the small set's side of the comparison, on PostgreSQL (bench/scale.py).
    small_scale = None
    if args.scale == "large" and backend == "postgresql":
        small_scale = scale.prepare_small(python, env)
    seed_file = scratch / f"seed-{backend}.json"
    seed_file.write_text(json.dumps(seeded))

    # The ceilings: the article page's own bytes as a file, served by nginx from disk and
    # by gunicorn's whitenoise, so that each page differs from its ceiling only in what
    # produces it. Rendering needs the static manifest, so collectstatic comes first;
    # whitenoise serves every file in STATIC_ROOT that is there when gunicorn starts.
    manage("collectstatic", "--noinput", env=env)
    ceiling = Path(env["STATIC_ROOT"]) / CEILING_PATH
    ceiling.parent.mkdir(parents=True, exist_ok=True)
    python("bench.inprocess", "render", seeded["big_article_url"], str(ceiling), env=env)

    http = report["http"] = {}
    posts = report["posts"] = {}
    with serving(backend, env, scratch, args.app_servers) as (base_urls, gunicorns):
        report["app_servers"] = len(gunicorns)
        report["workers"] = sum(gunicorn.workers for gunicorn in gunicorns)

        def profiler(label):
            """A flame graph of one worker during a measured run, with --profile."""
            if not args.profile:
                return nullcontext()
            worker = server.worker_pids(gunicorns[0].process.pid)[0]
            out = args.profile / f"{backend}-{label}.svg"
            return server.flame_graph(worker, args.duration, out)

        report["workers_mb_before"] = workers_resident_mb(gunicorns)
        http_runs(
            backend,
            base_urls,
            seeded,
            duration=args.duration,
            concurrency=args.concurrency,
            results=http,
            profiler=profiler,
            only=args.pages,
        )
        if small_scale:
            # Before the posts and the queue add to this set.
            # gunicorn reached directly, as the large set's pages are (bench/scale.py).
            report["scale_pages"] = scale.measure_pages(
                "small",
                base_urls[APP],
                small_scale["paths"],
                small_scale["cookie"],
                duration=args.scale_duration,
            )
        if args.pages is None or "posts" in args.pages:
            post_runs(
                backend,
                base_urls[EDGE],
                seeded,
                env,
                scratch,
                duration=args.duration,
                concurrency=args.concurrency,
                results=posts,
                profiler=profiler,
            )
        report["workers_mb_after"] = workers_resident_mb(gunicorns)
    log(f"{backend}: queries per page and the bulk approve")
    report["inprocess"] = python("bench.inprocess", "measure", str(seed_file), env=env)
    if backend == "postgresql" and args.queue_comments:
        report["queue"] = queue_at_scale(env, seeded, args.queue_comments)


def queue_at_scale(env, seeded, comments) -> dict:
    """Issue 20: the moderation queue's first page with `comments` more comments, added
    (COPY) after every other measurement of the backend so that they measure the same."""
    log(f"postgresql: seeding {comments:,} comments for the moderation queue")
    started = time.perf_counter()
    python("bench.seed", "queue", str(comments), env=env, timeout=1800)
    figures = {"seed_seconds": round(time.perf_counter() - started, 1)}
    log("postgresql: the moderation queue's first page")
    figures.update(python("bench.inprocess", "queue", seeded["moderator_username"], env=env))
    return figures


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--duration",
        type=int,
        default=int(os.environ.get("BENCH_DURATION", "5")),
        help="seconds per wrk run (BENCH_DURATION, default 5)",
    )
    parser.add_argument(
        "--concurrency",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[8, 32],
        help="comma-separated connection counts (default 8,32)",
    )
    parser.add_argument(
        "--wxr-comments",
        type=int,
        default=int(os.environ.get("BENCH_WXR_COMMENTS", "100000")),
        help="comments in the generated WordPress export (BENCH_WXR_COMMENTS); 0 skips it",
    )
    parser.add_argument(
        "--queue-comments",
        type=int,
        default=int(os.environ.get("BENCH_QUEUE_COMMENTS", "1000000")),
        help="comments added on PostgreSQL to time the moderation queue "
        "(BENCH_QUEUE_COMMENTS); 0 skips it",
    )
    parser.add_argument(
        "--scale",
        choices=("small", "large"),
        default=os.environ.get("BENCH_SCALE", "small"),
        help="large: also the 200,000-article, 2,000,000-comment set on PostgreSQL, its pages "
        "beside the small set's, and import/export at that scale (BENCH_SCALE; bench/scale.py)",
    )
    parser.add_argument(
        "--scale-duration",
        type=int,
        default=int(os.environ.get("BENCH_SCALE_DURATION", "3")),
        help="seconds per page of the SCALE=large comparison, on each set (default 3)",
    )
    parser.add_argument(
        "--scale-import-comments",
        type=int,
        default=int(os.environ.get("BENCH_SCALE_IMPORT_COMMENTS", "1000000")),
        help="comments in the export imported with SCALE=large; 0 skips it",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        default=bool(os.environ.get("BENCH_PROFILE")),
        help="record a py-spy flame graph of one worker per measured run (BENCH_PROFILE=1)",
    )
    parser.add_argument(
        "--backends",
        type=lambda text: text.split(","),
        default=os.environ.get("BENCH_BACKENDS", "sqlite,postgresql").split(","),
        help="sqlite and/or postgresql (BENCH_BACKENDS)",
    )
    parser.add_argument(
        "--app-servers",
        type=_app_servers,
        default=int(os.environ.get("BENCH_APP_SERVERS", "1")),
        help="on PostgreSQL, this many gunicorns (sharing the workers of one) behind "
        "nginx's upstream (BENCH_APP_SERVERS, default 1: one gunicorn, no nginx)",
    )
    parser.add_argument(
        "--pages",
        type=_page_names,
        default=None,
        help="only these of " + ",".join(PAGE_CHOICES) + " (default all; the static "
        "ceiling is always measured)",
    )
    return parser.parse_args(argv)


def _app_servers(text):
    count = int(text) if text.isdigit() else 0
    if not 1 <= count <= 8:
        raise argparse.ArgumentTypeError(f"app servers are 1 to 8, not {text!r}")
    return count


def _page_names(text):
    names = [name for name in text.split(",") if name]
    unknown = sorted(set(names) - set(PAGE_CHOICES))
    if unknown:
        raise argparse.ArgumentTypeError(f"no such page: {', '.join(unknown)}")
    return names


def main(argv=None):
    args = parse_args(argv)
    stamp = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    if args.profile:
        if not server.py_spy_binary():
            raise SystemExit("--profile needs py-spy: `make bench BENCH_PROFILE=1` installs it")
        args.profile = RESULTS / f"{stamp}-profiles"
    report = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "revision": git_revision(),
        "machine": machine(),
        "duration_s": args.duration,
        "concurrency": args.concurrency,
        "relaxed_settings": RELAXED_SETTINGS,
        "production_settings": PRODUCTION_SETTINGS,
        "backends": {},
    }
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as scratch:
        scratch = Path(scratch)
        for backend in args.backends:
            env = base_env(scratch)
            with services.database(backend, env, scratch) as available:
                if available is not True:
                    report["backends"][backend] = {"skipped": available}
                    log(f"{backend}: skipped ({available})")
                    continue
                report["backends"][backend] = {}
                bench_backend(backend, env, scratch, args, report["backends"][backend])
        if args.wxr_comments:
            log(f"WXR import of {args.wxr_comments:,} comments")
            report["wxr"] = wxr.measure_import(
                base_env(scratch), scratch, comments=args.wxr_comments
            )
        if args.scale == "large":
            report["large"] = scale.run_large(
                base_env(scratch),
                scratch,
                python=python,
                manage=manage,
                duration=args.scale_duration,
                import_comments=args.scale_import_comments,
            )
    report["targets"] = evaluate(report) + scale.evaluate(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{stamp}-{report['revision']}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(table(report))
    print(f"\nFigures as JSON: {out.relative_to(ROOT)}")
    if args.profile:
        print(f"Flame graphs of one worker per run: {args.profile.relative_to(ROOT)}/")


# --- targets and the table ---------------------------------------------------------------


def _ratio(page_name, connections, http):
    page = http[page_name]
    ceiling = http[_ceiling_of(page_name)][connections]["requests_per_s"]
    return page[connections]["requests_per_s"] / ceiling if ceiling else 0.0


def evaluate(report) -> list[dict]:
    """Each target of issue 9 as measured in this run: PASS or MISS, and the figure."""
    outcomes = []

    def outcome(target, backend, measured, passed):
        outcomes.append(
            {
                "target": target,
                "backend": backend,
                "measured": measured,
                "result": "PASS" if passed else "MISS",
            }
        )

    for backend, figures in report["backends"].items():
        if "skipped" in figures:
            continue
        http = figures["http"]
        top = max(report["concurrency"])
        if "article_cached" in http:
            cached = http["article_cached"]
            ratios = {c: _ratio("article_cached", c, http) for c in report["concurrency"]}
            outcome(
                "cached article (500 comments, nginx) >= 50% of nginx static",
                backend,
                ", ".join(f"c{c}: {r:.0%}" for c, r in ratios.items()),
                all(r >= TARGETS["cached_ratio"] for r in ratios.values()),
            )
            p99 = cached[top]["p99_ms"]
            outcome(
                f"cached article p99 < 20 ms at concurrency {top}, no errors",
                backend,
                f"{p99:.1f} ms, {cached[top]['errors']} errors",
                p99 < TARGETS["cached_p99_ms"] and cached[top]["errors"] == 0,
            )
        if "article_uncached" in http:
            ratios = {c: _ratio("article_uncached", c, http) for c in report["concurrency"]}
            outcome(
                "uncached article (500 comments) >= 10% of gunicorn static",
                backend,
                ", ".join(f"c{c}: {r:.0%}" for c, r in ratios.items()),
                all(r >= TARGETS["uncached_ratio"] for r in ratios.values()),
            )
        if "search" in http:
            ratios = {c: _ratio("search", c, http) for c in report["concurrency"]}
            outcome(
                "search page (never cached) >= 10% of gunicorn static",
                backend,
                ", ".join(f"c{c}: {r:.0%}" for c, r in ratios.items()),
                all(r >= TARGETS["search_ratio"] for r in ratios.values()),
            )
        queries = figures["inprocess"]["queries_per_article_page"]
        # With no comment there is no page of comments whose text to read: one query less.
        none = queries["0"]
        some = [n for comments, n in queries.items() if comments != "0"]
        outcome(
            "uncached article: same queries with 50, 500 comments (0: no more)",
            backend,
            ", ".join(f"{comments}: {n}" for comments, n in queries.items()),
            len(set(some)) == 1 and none <= some[0],
        )
        posts = figures["posts"].get(top)
        if posts and backend == "sqlite":
            outcome(
                f"comment POSTs >= 200 accepted/s at concurrency {top} (SQLite)",
                backend,
                f"{posts['accepted_per_s']:.0f}/s",
                posts["accepted_per_s"] >= TARGETS["posts_per_s"],
            )
        for connections, run in figures["posts"].items():
            if connections == "skipped":
                outcome("comment POSTs", backend, run, False)
                continue
            outcome(
                f"comment POSTs at concurrency {connections}: no errors, each stored once",
                backend,
                f"{run['accepted']} accepted, {run['failed']} failed; "
                f"{run['accepted_stored']} of them stored, {run['stored']} stored in all, "
                f"{run['distinct']} distinct",
                run["failed"] == 0
                and run["errors"] == 0
                and run["accepted"] == run["accepted_distinct"] == run["accepted_stored"]
                and run["stored"] == run["distinct"],
            )
        approve = figures["inprocess"]["bulk_approve"]
        small = figures["inprocess"]["bulk_approve_small"]
        outcome(
            f"admin bulk approve of {approve['comments']:,} comments < 1 s",
            backend,
            f"{approve['seconds']:.2f} s",
            approve["seconds"] < TARGETS["approve_seconds"],
        )
        outcome(
            "admin bulk approve: same queries for few and many comments",
            backend,
            f"{small['comments']:,}: {small['queries']}, "
            f"{approve['comments']:,}: {approve['queries']}",
            small["queries"] == approve["queries"],
        )
        queue = figures.get("queue")
        if queue:
            outcome(
                f"moderation queue, first page, {queue['comments']:,} comments < 300 ms",
                backend,
                f"{queue['median_seconds'] * 1000:.0f} ms (max {queue['max_seconds'] * 1000:.0f})",
                queue["median_seconds"] < TARGETS["queue_seconds"],
            )
        sizes = figures["workers_mb_after"]
        outcome(
            "each gunicorn worker < 150 MB resident after the load",
            backend,
            f"max {max(sizes):.0f} MB of {len(sizes)}",
            bool(sizes) and max(sizes) < TARGETS["worker_mb"],
        )
    wxr = report.get("wxr")
    if wxr and "skipped" not in wxr:
        outcome(
            "WXR import >= 5,000 comments/s",
            wxr["backend"],
            f"{wxr['comments_per_s']:,.0f}/s",
            wxr["comments_per_s"] >= TARGETS["wxr_comments_per_s"],
        )
        outcome(
            "WXR import peak memory < 200 MB",
            wxr["backend"],
            f"{wxr['peak_mb']:.0f} MB",
            wxr["peak_mb"] < TARGETS["wxr_peak_mb"],
        )
    return outcomes


PAGE_NAMES = {
    "static": "static file, same size, nginx",
    "static_app": "static file, same size, gunicorn",
    "article_cached": "article, 500 comments, nginx cache",
    "article_app_cached": "  same, gunicorn's page cache",
    "article_uncached": "article, 500 comments, uncached",
    "front": "front page, nginx cache",
    "search": "search (never cached), page 1",
    "article_image_cached": "article with image, nginx cache",
    "article_image_uncached": "article with image, uncached",
    "article_plain_uncached": "same article, no image, uncached",
}


def _steal(run) -> str:
    steal = run.get("cpu_steal_pct")
    return "" if steal is None else f"{steal:.1f}"


def table(report) -> str:
    m = report["machine"]
    lines = [
        f"Newsroom benchmark, {report['started_at']}, revision {report['revision']}",
        f"Machine: {m['nproc']} x {m['cpu_model']}, {m['memory_gib']} GiB; {m['wrk']}",
        f"Each load run: {report['duration_s']} s after a {WARMUP_SECONDS} s warm-up; "
        "readers' requests go through nginx (deploy/nginx.conf: edge cache, static files) to "
        "gunicorn, sync workers = cores x 2 + 1, which close each connection (nginx keeps "
        "wrk's alive); x ceiling = req/s over the same bytes as a static file served the same "
        "way (nginx's for what nginx serves, gunicorn's for what Django renders); steal % = "
        "CPU time the virtual machine's host gave to others during the run",
        "Production settings: "
        + ", ".join(f"{k}={v}" for k, v in report["production_settings"].items()),
        "Relaxed for the bench: "
        + (", ".join(f"{k}={v}" for k, v in report["relaxed_settings"].items()) or "nothing"),
        *(f"{name}: {about}" for name, about in services.DESCRIPTIONS.items()),
        *(
            f"{backend}: {figures['app_servers']} gunicorns ({figures['workers']} workers in "
            "all) behind nginx's upstream; the ceiling is nginx's"
            for backend, figures in report["backends"].items()
            if figures.get("app_servers", 1) > 1
        ),
        "",
    ]
    header = (
        f"{'page':34} {'backend':10} {'conc':>4} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'x ceiling':>9} {'errors':>6} {'KB':>6} {'steal %':>7}"
    )
    lines += [header, "-" * len(header)]
    for backend, figures in report["backends"].items():
        if "skipped" in figures:
            lines.append(f"{backend}: skipped ({figures['skipped']})")
            continue
        http = figures["http"]
        for page, name in PAGE_NAMES.items():
            if page not in http:
                continue
            for connections in report["concurrency"]:
                run = http[page][connections]
                lines.append(
                    f"{name:34} {backend:10} {connections:>4} {run['requests_per_s']:>8.1f} "
                    f"{run['p50_ms']:>7.1f} {run['p99_ms']:>7.1f} "
                    f"{_ratio(page, connections, http):>9.2f} {run['errors']:>6} "
                    f"{http[page]['bytes'] / 1024:>6.0f} {_steal(run):>7}"
                )
        for connections, run in figures["posts"].items():
            if connections == "skipped":
                lines.append(f"{'comment POST':34} {backend:10} skipped: {run}")
                continue
            ceiling = http[CEILINGS[APP]][connections]["requests_per_s"]
            lines.append(
                f"{'comment POST (accepted/s)':34} {backend:10} {connections:>4} "
                f"{run['accepted_per_s']:>8.1f} {run['p50_ms']:>7.1f} {run['p99_ms']:>7.1f} "
                f"{run['accepted_per_s'] / ceiling:>9.2f} {run['failed']:>6} {'':>6} "
                f"{_steal(run):>7}"
            )
        lines.append(
            f"{'':34} {backend:10} workers' resident MB after the load: "
            + ", ".join(f"{size:.0f}" for size in figures["workers_mb_after"])
        )
        inprocess = figures["inprocess"]
        lines.append(
            f"{'':34} {backend:10} queries per article page (comments: queries): "
            + ", ".join(f"{k}: {v}" for k, v in inprocess["queries_per_article_page"].items())
        )
        for key in ("bulk_approve_small", "bulk_approve"):
            approve = inprocess[key]
            lines.append(
                f"{'':34} {backend:10} admin bulk approve of {approve['comments']:,} comments: "
                f"{approve['seconds']:.3f} s, {approve['queries']} queries; longest: "
                + ", ".join(
                    f"{sql.split()[0]} {seconds:.3f} s"
                    for sql, seconds in approve["slowest_statements"][:3]
                )
            )
        queue = figures.get("queue")
        if queue:
            lines.append(
                f"{'':34} {backend:10} moderation queue's first page with "
                f"{queue['comments']:,} comments (seeded in {queue['seed_seconds']:.0f} s): "
                f"median {queue['median_seconds'] * 1000:.0f} ms, "
                f"max {queue['max_seconds'] * 1000:.0f} ms, {queue['queries']} queries, "
                f"load average {queue.get('load_average_1m', '?')}; longest: "
                + ", ".join(
                    f"{sql.split()[0]} {seconds * 1000:.0f} ms"
                    for sql, seconds in queue["slowest_statements"][:3]
                )
            )
    wxr = report.get("wxr")
    if wxr:
        if "skipped" in wxr:
            lines.append(f"WXR import: skipped ({wxr['skipped']})")
        else:
            lines.append(
                f"WXR import ({wxr['backend']}): {wxr['comments']:,} comments in "
                f"{wxr['seconds']:.1f} s = {wxr['comments_per_s']:,.0f} comments/s, "
                f"peak RSS {wxr['peak_mb']:.0f} MB"
            )
    lines += scale.table(report)
    lines += ["", f"{'target':62} {'backend':10} {'measured':40} result", "-" * 122]
    for item in report["targets"]:
        lines.append(
            f"{item['target']:62} {item['backend']:10} {item['measured']:40} {item['result']}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
