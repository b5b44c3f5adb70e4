import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Flood-control and page caches must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
