"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's RedisCacheClient builds a new redis.Redis for every cache call, and building
one copies redis-py's table of response callbacks into a case-insensitive dict, a cost
paid on every page served from the page cache. A redis.Redis holds no connection
of its own (each command takes one from the pool), so one per pool serves every call
and every thread.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
