"""`/healthz` for load balancers: 200 "ok" when the database and the cache answer.

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


def services_answer():
    """Whether the database and the cache both answer a round trip now."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database does not answer")
        return False
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
        if services_answer():
            response = HttpResponse("ok\n", content_type="text/plain")
        else:
            response = HttpResponse("unavailable\n", status=503, content_type="text/plain")
        add_never_cache_headers(response)
        return response
