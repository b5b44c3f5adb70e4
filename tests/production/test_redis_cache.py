"""newsroom.cache.RedisCache: Django's Redis backend, one redis-py client per pool."""

import os

import pytest
from django.core.cache import caches
from django.test import override_settings

# Port 1 on loopback: building clients never connects, so no server is needed here.
NOWHERE = {"BACKEND": "newsroom.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}


@override_settings(CACHES={"default": NOWHERE})
def test_every_call_uses_the_same_client_for_its_pool():
    client = caches["default"]._cache

    assert client.get_client("a") is client.get_client("b", write=True)


@override_settings(
    CACHES={"default": {**NOWHERE, "LOCATION": "redis://127.0.0.1:1/0,redis://127.0.0.1:2/0"}}
)
def test_a_replica_gets_a_client_of_its_own():
    client = caches["default"]._cache

    writer = client.get_client(write=True)
    reader = client.get_client()

    assert reader is not writer
    assert reader.connection_pool.connection_kwargs["port"] == 2
    assert writer.connection_pool.connection_kwargs["port"] == 1


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (make test)")
def test_values_round_trip_through_redis(settings):
    from django.core.cache import cache

    cache.set("newsroom-test:page", {"parts": [b"<p>", b"</p>"]}, 30)
    cache.add("newsroom-test:flood", True, 30)

    assert cache.get_many(["newsroom-test:page", "newsroom-test:flood"]) == {
        "newsroom-test:page": {"parts": [b"<p>", b"</p>"]},
        "newsroom-test:flood": True,
    }
    assert settings.CACHES["default"]["BACKEND"] == "newsroom.cache.RedisCache"
