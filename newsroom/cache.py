"""Django's Redis cache backend, with one redis-py client per connection pool, that treats
a Redis it cannot reach as an empty cache.

Django's RedisCacheClient builds a new redis.Redis for every cache call, and building
one copies redis-py's table of response callbacks into a case-insensitive dict, a cost
paid on every page served from the page cache. A redis.Redis holds no connection
of its own (each command takes one from the pool), so one per pool serves every call
and every thread.

The cache is an accelerator, not a dependency: while Redis is down or unreachable, reads
miss and writes keep nothing (logged once per OUTAGE_LOG_SECONDS per process), so pages
are rendered afresh instead of failing. Callers that must know (the page cache's
generation, flood control, /healthz) notice that nothing they store is kept.
"""

import functools
import logging
import threading
import time

from django.core.cache.backends import redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Refused, reset, timed out, or still loading its data after a restart.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
OUTAGE_LOG_SECONDS = 60


class _Outage:
    """Whether this process last found Redis unreachable, and when it last said so."""

    def __init__(self):
        self.down = False
        self.logged_at = None
        self._lock = threading.Lock()  # threads share the process's log

    def failed(self, error):
        with self._lock:
            self.down = True
            now = time.monotonic()
            if self.logged_at is not None and now - self.logged_at < OUTAGE_LOG_SECONDS:
                return
            self.logged_at = now
        logger.error(
            "The cache (Redis) does not answer (%s): pages are rendered uncached until it "
            "does. Said once every %s seconds.",
            error,
            OUTAGE_LOG_SECONDS,
        )

    def answered(self):
        if not self.down:
            return
        with self._lock:
            if not self.down:
                return
            self.down, self.logged_at = False, None
        logger.warning("The cache (Redis) answers again.")


outage = _Outage()


def _or_when_unreachable(fallback):
    """The client method, answering `fallback(*args)` when Redis cannot be reached."""

    def decorate(method):
        @functools.wraps(method)
        def degraded(self, *args):
            try:
                result = method(self, *args)
            except UNREACHABLE as error:
                outage.failed(error)
                return fallback(*args)
            outage.answered()
            return result

        return degraded

    return decorate


def _nothing(*args):
    return None


def _not_stored(*args):
    return False


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

    # A miss, and nothing kept. incr is left to fail: it has no answer that is not a lie.
    get = _or_when_unreachable(lambda key, default: default)(redis.RedisCacheClient.get)
    get_many = _or_when_unreachable(lambda keys: {})(redis.RedisCacheClient.get_many)
    has_key = _or_when_unreachable(_not_stored)(redis.RedisCacheClient.has_key)
    add = _or_when_unreachable(_not_stored)(redis.RedisCacheClient.add)
    set = _or_when_unreachable(_nothing)(redis.RedisCacheClient.set)
    set_many = _or_when_unreachable(_nothing)(redis.RedisCacheClient.set_many)
    touch = _or_when_unreachable(_not_stored)(redis.RedisCacheClient.touch)
    delete = _or_when_unreachable(_not_stored)(redis.RedisCacheClient.delete)
    delete_many = _or_when_unreachable(_nothing)(redis.RedisCacheClient.delete_many)
    clear = _or_when_unreachable(_nothing)(redis.RedisCacheClient.clear)


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
