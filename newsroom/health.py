"""`/healthz` for load balancers: 200 "ok" when the database and the cache answer,
200 "degraded" when only the database does, 503 "unavailable" when the database does not.

Served by a middleware ahead of host validation, sessions and the page cache: probes
come by IP and must never be cached. The body never says what failed (the log does).
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

PATH = "/healthz"


def database_answers():
    """Whether the database answers a round trip now: without it, nothing can be served."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database does not answer")
        return False
    return True


def cache_answers():
    """Whether the cache keeps what is stored in it now. Without it the site still serves
    every page, uncached (newsroom/cache.py): degraded, not down."""
    probe = uuid.uuid4().hex
    try:
        cache.set("healthz:probe", probe, timeout=10)
        answered = cache.get("healthz:probe") == probe
    except Exception:
        logger.exception("Health check: the cache does not answer")
        return False
    if not answered:
        logger.error("Health check: the cache did not return what was stored")
    return answered


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != PATH:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405, content_type="text/plain")
            response["Allow"] = "GET, HEAD"
            return response
        if not database_answers():
            response = HttpResponse("unavailable\n", status=503, content_type="text/plain")
        elif not cache_answers():
            # Still a 200: a load balancer that took every server out for it would turn a
            # slower site into no site. Monitoring reads the body.
            response = HttpResponse("degraded\n", content_type="text/plain")
        else:
            response = HttpResponse("ok\n", content_type="text/plain")
        add_never_cache_headers(response)
        return response
