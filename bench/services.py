"""The database (and cache) each backend runs on, set into the environment for the bench."""

from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def database(backend: str, env: dict, scratch: Path):
    """Point `env` at a fresh, empty database for `backend`; yield True, or why not."""
    if backend == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{scratch / 'bench-sqlite.sqlite3'}"
        yield True
    elif backend == "postgresql":
        yield "PostgreSQL and Redis are not wired in yet"
    else:
        yield f"unknown backend {backend!r}"
