"""The database (and cache) each backend runs on, set into the environment for the bench.

PostgreSQL and Redis are started by the Makefile with scripts/services.sh, as for
`make serve`; here the bench only takes a fresh database of its own
(BENCH_DATABASE_URL, dropped again afterwards) and an empty Redis database
(BENCH_REDIS_URL), so that it never touches the site's own data.
"""

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://newsroom:newsroom@127.0.0.1:5432/newsroom_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
DESCRIPTIONS = {
    "sqlite": "SQLite (WAL) in a temporary file; page cache and flood control in a CACHE_DIR "
    "the workers share; task queue in a SQLite file",
    "postgresql": "PostgreSQL from scripts/services.sh, a fresh database; Redis for the page "
    "cache, flood control and the task queue",
}


def _psql(url, sql):
    """Run `sql` against the server's maintenance database as the URL's role."""
    parts = urlsplit(url)
    return subprocess.run(  # noqa: S603 - psql from PATH, our statement
        [  # noqa: S607
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            parts.hostname or "127.0.0.1",
            "-p",
            str(parts.port or 5432),
            "-U",
            parts.username or "newsroom",
            "-d",
            "postgres",
            "-c",
            sql,
        ],
        env={**os.environ, "PGPASSWORD": parts.password or "", "PGCONNECT_TIMEOUT": "5"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _database_name(url):
    return urlsplit(url).path.lstrip("/")


def fresh_postgres(url) -> str | None:
    """Drop and create the bench's database; None when done, else why not."""
    name = _database_name(url)
    if not name.replace("_", "").isalnum():
        return f"unexpected database name {name!r}"
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        finished = _psql(url, sql)
        if finished.returncode:
            return f"PostgreSQL at {urlsplit(url).netloc.split('@')[-1]}: {finished.stderr.strip()}"
    return None


def drop_postgres(url):
    _psql(url, f'DROP DATABASE IF EXISTS "{_database_name(url)}" WITH (FORCE)')


def empty_redis(url) -> str | None:
    """Flush the bench's own Redis database (never database 0); None when done."""
    parts = urlsplit(url)
    number = parts.path.lstrip("/") or "0"
    if number == "0":
        return "BENCH_REDIS_URL must name a Redis database of its own (not /0)"
    try:
        finished = subprocess.run(  # noqa: S603 - redis-cli from PATH, fixed arguments
            [  # noqa: S607
                "redis-cli",
                "-h",
                parts.hostname or "127.0.0.1",
                "-p",
                str(parts.port or 6379),
                "-n",
                number,
                "FLUSHDB",
            ],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except FileNotFoundError:
        return "redis-cli is not installed"
    if finished.returncode or finished.stdout.strip() != "OK":
        return f"Redis at {parts.netloc}: {(finished.stdout + finished.stderr).strip()}"
    return None


@contextmanager
def database(backend: str, env: dict, scratch: Path):
    """Point `env` at a fresh, empty database for `backend`; yield True, or why not."""
    if backend == "sqlite":
        # One machine without Redis, as the README says to run it: a cache directory the
        # workers share (page cache, flood control).
        env["DATABASE_URL"] = f"sqlite:///{scratch / 'bench-sqlite.sqlite3'}"
        env["CACHE_DIR"] = str(scratch / "cache-sqlite")
        yield True
    elif backend == "postgresql":
        reason = fresh_postgres(DATABASE_URL) or empty_redis(REDIS_URL)
        if reason:
            yield reason
            return
        env.update(
            DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX="newsroom-bench"
        )
        try:
            yield True
        finally:
            drop_postgres(DATABASE_URL)
    else:
        yield f"unknown backend {backend!r}"
