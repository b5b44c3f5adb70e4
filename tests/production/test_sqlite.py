"""SQLite as a real option on one machine: several writers at once never fail."""

import pytest

from .conftest import manage, production_env

# Each writer reads, then writes, in one transaction (as moderation does with
# select_for_update); in SQLite's default deferred mode two such transactions deadlock on
# the lock upgrade and one fails at once with "database is locked", whatever the timeout.
CONCURRENT_WRITERS = """
import threading, time
from django.db import connection, transaction
from articles.models import Category

failures = []

def write(number):
    try:
        for round in range(10):
            with transaction.atomic():
                Category.objects.count()
                time.sleep(0.01)
                Category.objects.create(name=f"Section {number}-{round}", slug=f"{number}-{round}")
    except Exception as error:
        failures.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=write, args=(number,)) for number in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(Category.objects.count(), len(failures), failures[:1])
"""


@pytest.fixture
def sqlite_file_env(tmp_path):
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    migrated = manage("migrate", "--noinput", "--verbosity", "0", env=env)
    assert migrated.returncode == 0, migrated.stderr
    return env


def test_concurrent_writers_on_sqlite_wait_for_each_other_instead_of_failing(sqlite_file_env):
    result = manage("shell", "--verbosity", "0", "-c", CONCURRENT_WRITERS, env=sqlite_file_env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:2] == ["80", "0"], result.stdout


def test_sqlite_database_is_in_wal_mode(sqlite_file_env):
    code = (
        "from django.db import connection\n"
        "print(connection.cursor().execute('PRAGMA journal_mode').fetchone()[0])"
    )
    result = manage("shell", "--verbosity", "0", "-c", code, env=sqlite_file_env)
    assert result.stdout.strip() == "wal"
