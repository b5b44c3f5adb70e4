import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Flood-control and page caches must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def instant_posting(settings):
    """Lift the timing rules meant for bots, so a test may post at machine speed.

    The minimum time between showing the form and posting it would mark a test's
    comments as held, and flood control would turn away its second comment. Fails loudly
    if the comments app renames these settings, rather than silently testing nothing.
    """
    for name in ("COMMENTS_MIN_SECONDS_TO_SUBMIT", "COMMENTS_FLOOD_SECONDS"):
        assert hasattr(settings, name), f"settings.{name} is gone: update this fixture"
        setattr(settings, name, 0)
    return settings


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded images land in a directory of the test's own, never the checkout's media/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def real_queue(tmp_path, monkeypatch):
    """The task queue as a consumer sees it (a SQLite file), not the suite's inline one."""
    from huey.contrib.djhuey import HUEY

    from newsroom.task_queue import WalSqliteStorage

    monkeypatch.setattr(HUEY, "_immediate", False)
    monkeypatch.setattr(
        HUEY, "storage", WalSqliteStorage("newsroom-test", filename=str(tmp_path / "queue.db"))
    )
    return HUEY
