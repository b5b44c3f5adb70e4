"""gunicorn settings for `make serve` and production, every value from the environment:
`gunicorn -c gunicorn.conf.py newsroom.wsgi`.
"""

import multiprocessing
import os

from newsroom.logging import stdout_handler


def _env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _env_bool(name):
    # As newsroom.settings.env_bool reads it.
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# gunicorn's own convention; a worker per core and one more keeps a core busy while
# another worker waits on the database.
workers = _env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1)
threads = _env_int("GUNICORN_THREADS", 1)

# A request still running after this long is killed and its worker replaced.
timeout = _env_int("GUNICORN_TIMEOUT", 30)
# On SIGHUP/SIGTERM, workers finish the requests they are serving for up to this long.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)
# Workers are replaced now and then (staggered by the jitter) so slow leaks cannot grow.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Only the proxies named here may say a request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# And only when the settings believe X-Forwarded-Proto too (TRUST_X_FORWARDED_PROTO):
# gunicorn's default also believes X-Forwarded-Ssl and X-Forwarded-Protocol, which a
# client could send through a proxy that only sets X-Forwarded-Proto.
secure_scheme_headers = (
    {"X-FORWARDED-PROTO": "https"} if _env_bool("TRUST_X_FORWARDED_PROTO") else {}
)

# gunicorn's control socket has one default path per user, which several servers on one
# machine (tests, a benchmark, `make serve`) would fight over; signals do the same job
# (HUP reloads workers, TERM stops gracefully). Give a path to have one.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

# Both logs to stdout as JSON lines, in the same format as the application's log.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "newsroom.logging.JSONFormatter"}},
    "handlers": {"stdout": stdout_handler()},
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}


def on_starting(server):
    # Local memory is per process: several workers would each keep their own flood
    # control and page cache, and an approval would not reach the others' pages.
    if workers > 1 and not (os.environ.get("REDIS_URL") or os.environ.get("CACHE_DIR")):
        server.log.warning(
            "%d workers without REDIS_URL or CACHE_DIR: each worker has its own cache", workers
        )
