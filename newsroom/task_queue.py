"""The task queue's SQLite storage, for one machine without Redis.

huey opens its SQLite file with synchronous=FULL (an fsync for every task enqueued, that
is, for every comment held for moderation) or, with fsync=False, OFF (a power cut may
corrupt the file). The site's own database runs in WAL mode with synchronous=NORMAL;
the queue gets the same: a crash of the application loses nothing, a power cut may lose
the last tasks enqueued but leaves the file intact.
"""

from huey import SqliteHuey
from huey.storage import SqliteStorage


class WalSqliteStorage(SqliteStorage):
    def _create_connection(self):
        connection = super()._create_connection()
        connection.execute("pragma synchronous=NORMAL")
        return connection


class WalSqliteHuey(SqliteHuey):
    storage_class = WalSqliteStorage
