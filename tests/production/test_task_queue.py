"""The task queue's SQLite file is as durable as the site's database, without an fsync per task."""

from newsroom.task_queue import WalSqliteHuey


def test_queue_file_is_in_wal_mode_with_normal_sync(tmp_path):
    huey = WalSqliteHuey("newsroom-test", filename=str(tmp_path / "queue.sqlite3"))

    connection = huey.storage.conn

    assert connection.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert connection.execute("pragma synchronous").fetchone()[0] == 1  # NORMAL


def test_tasks_survive_in_the_file(tmp_path):
    filename = str(tmp_path / "queue.sqlite3")
    producer = WalSqliteHuey("newsroom-test", filename=filename)

    @producer.task()
    def remember(value):
        return value

    remember(42)

    consumer = WalSqliteHuey("newsroom-test", filename=filename)
    assert consumer.pending_count() == 1
