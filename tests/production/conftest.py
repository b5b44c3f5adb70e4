import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def production_env(**overrides):
    """The environment of a production process: its settings, no DEBUG, a real key."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "PYTEST_VERSION", "PYTEST_CURRENT_TEST", "SECRET_KEY"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="news.example.com,127.0.0.1,localhost",
    )
    env.update(overrides)
    return env


def manage(*args, env, timeout=120):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


NEW_ARTICLE = """
from tests.factories import ArticleFactory
print(ArticleFactory(title="Harbour plan approved").get_absolute_url())
"""


def _postgres_database():
    """A scratch database on the DATABASE_URL server; dropped by the returned callable."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = f"newsroom_gunicorn_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url.rsplit("/", 1)[0] + f"/{name}", drop


@pytest.fixture(scope="package", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    """gunicorn with two workers, serving one article, on SQLite and on PostgreSQL."""
    tmp_path = tmp_path_factory.mktemp(request.param)
    drop = None
    if request.param == "sqlite":
        env = {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "CACHE_DIR": str(tmp_path / "cache"),
        }
    else:
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.skip("DATABASE_URL names no PostgreSQL server (`make test` runs this)")
        database_url, drop = _postgres_database()
        env = {"DATABASE_URL": database_url, "REDIS_URL": os.environ["REDIS_URL"]}
    from .server import Gunicorn

    # Comments may be posted at once after the form is shown; one per client IP a minute.
    env.update(COMMENTS_MIN_SECONDS_TO_SUBMIT="0", COMMENTS_FLOOD_SECONDS="60")
    gunicorn = Gunicorn(tmp_path, env.pop("DATABASE_URL"), **env)
    try:
        gunicorn.start()
        gunicorn.article_url = gunicorn.shell(NEW_ARTICLE).splitlines()[-1]
        yield gunicorn
    finally:
        gunicorn.stop()
        if drop:
            drop()
