"""Each worker keeps its PostgreSQL connection between requests (DB_CONN_MAX_AGE, with a
health check before reuse), so N servers x workers is the number of connections held:
README.md, "Database connections", does the arithmetic against max_connections."""

import json

from .conftest import manage, production_env

PRINT_DATABASE = (
    "import json; from django.conf import settings; d = settings.DATABASES['default']; "
    "print(json.dumps([d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS']]))"
)
POSTGRESQL = "postgres://newsroom:secret@db.example:5432/newsroom"


def database_settings(**overrides):
    env = production_env(**overrides)
    if "DB_CONN_MAX_AGE" not in overrides:
        env.pop("DB_CONN_MAX_AGE", None)
    result = manage("shell", "-c", PRINT_DATABASE, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_connections_are_kept_a_minute_and_checked_before_reuse():
    assert database_settings(DATABASE_URL=POSTGRESQL) == [
        "django.db.backends.postgresql",
        60,
        True,
    ]


def test_how_long_a_connection_is_kept_is_read_from_the_environment():
    engine, kept, checked = database_settings(DATABASE_URL=POSTGRESQL, DB_CONN_MAX_AGE="300")

    assert (kept, checked) == (300, True)


def test_zero_closes_each_connection_after_its_request():
    engine, kept, checked = database_settings(DATABASE_URL=POSTGRESQL, DB_CONN_MAX_AGE="0")

    assert kept == 0
